using System.Globalization;
using System.Text.Json.Nodes;
using Latent.Classical;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Visuals;

/// <summary>
/// Computes the content of the report of one or more trained models: options, training curves per loss term,
/// reconstructions, prior samples, the manifold or traversals, interpolations, the codes scatter, the KL per
/// dimension and the metrics (side by side when there are several models); for a generative adversarial network its
/// training metrics, samples, interpolations and code traversals.
/// </summary>
/// <remarks>
/// This runs the models (encoding, decoding, sampling); it draws nothing. <see cref="HtmlReport"/> renders
/// the result.
/// </remarks>
public static class RunReport
{
    /// <summary>The items (the first ones) whose codes the scatter shows.</summary>
    public const int ScatterItems = 2000;

    /// <summary>The content of the report on <paramref name="sections"/>; <paramref name="seed"/> drives the prior samples.</summary>
    public static ReportContent Build(string title, string? note, IReadOnlyList<ReportSection> sections, ulong seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentNullException.ThrowIfNull(sections);
        return new ReportContent(title, note, sections.Count > 1 ? Comparison(sections) : null, [.. sections.Select(s => Part(s, seed))]);
    }

    /// <summary>
    /// The part of the report on one generative adversarial network: its metrics and options, the curves of its training
    /// metrics, a grid of samples, interpolations between generated images and an InfoGAN's code traversals;
    /// <paramref name="seed"/> draws the z's.
    /// </summary>
    public static ReportPart Part(AdversarialReportSection section, ulong seed = 0) => AdversarialReport.Part(section, seed);

    /// <summary>The part of the report on one model.</summary>
    public static ReportPart Part(ReportSection section, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(section);
        var model = section.Model;
        var tables = new List<ReportTable>();
        if (section.Evaluation is { } evaluation)
        {
            tables.Add(new ReportTable($"Metrics on {evaluation.Data}", null, [.. evaluation.Rows().Select(r => new ReportRow(r.Name, [r.Value]))], Numeric: true));
        }

        tables.Add(new ReportTable("Options", null, [.. Options(model.Options).Concat(section.Training ?? []).Select(r => new ReportRow(r.Name, [r.Value]))], Numeric: false));
        var groups = new List<ReportGroup>();
        if (TrainingCurves(section) is { Count: > 0 } curves)
        {
            groups.Add(new ReportGroup("Training curves", curves));
        }

        if (section.Data.ImageShape is not null && section.Data.Count > 0)
        {
            groups.Add(new ReportGroup("Pictures", Pictures(section, seed)));
        }

        groups.Add(new ReportGroup("Codes", Codes(section)));
        return new ReportPart(section.Title, tables, groups);
    }

    /// <summary>The metrics of all sections side by side, with the label-based scores as grouped bars (null: no metrics).</summary>
    private static ReportComparison? Comparison(IReadOnlyList<ReportSection> sections)
    {
        var names = new List<string>();
        foreach (var section in sections)
        {
            foreach ((string name, _) in section.Evaluation?.Rows() ?? [])
            {
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        var rows = names.Select(name => new ReportRow(name, [.. sections.Select(s => s.Evaluation?.Rows().FirstOrDefault(r => r.Name == name).Value ?? "–")])).ToArray();
        var table = new ReportTable("Metrics side by side", ["metric", .. sections.Select(s => s.Title)], rows, Numeric: true);
        return new ReportComparison(table, new ChartPicture("representation-scores", RepresentationBars(sections),
            "How well each model's mean codes separate the labels: a linear probe, and k-means on the codes matched to the labels."));
    }

    /// <summary>The label-based scores of the codes (all in [0, 1] but ARI), as grouped bars per model.</summary>
    private static Chart RepresentationBars(IReadOnlyList<ReportSection> sections)
    {
        string[] metrics = ["probe accuracy", "k-means accuracy", "NMI", "ARI"];
        var series = new List<(string Name, IReadOnlyList<double> Values)>();
        foreach (var section in sections)
        {
            var e = section.Evaluation;
            series.Add((section.Title, [e?.ProbeAccuracy ?? double.NaN, e?.ClusterAccuracy ?? double.NaN, e?.Nmi ?? double.NaN, e?.Ari ?? double.NaN]));
        }

        return Chart.Bars("Codes against the labels", "score", metrics, series);
    }

    /// <summary>One chart per loss term that is not zero throughout, train and (when every epoch has it) validation.</summary>
    private static List<Picture> TrainingCurves(ReportSection section)
    {
        var curves = new List<Picture>();
        if (section.History is not { Epochs.Count: > 0 } history)
        {
            return curves;
        }

        var epochs = history.Epochs;
        var values = epochs.Select(e => e.Train.Values()).ToArray();
        for (int term = 0; term < LossTerms.Names.Count; term++)
        {
            if (term > 0 && values.All(v => v[term] == 0))
            {
                continue;
            }

            var series = new List<(string, IReadOnlyList<double>)> { ("train", values.Select(v => v[term]).ToArray()) };
            if (epochs.All(e => e.Validation is not null))
            {
                series.Add(("validation", epochs.Select(e => e.Validation!.Value.Values()[term]).ToArray()));
            }

            curves.Add(new ChartPicture("curve-" + LossTerms.Names[term], Chart.Lines(LossTerms.Names[term], "epoch", "nats per item", series)));
        }

        return curves;
    }

    /// <summary>Reconstructions, prior samples, the manifold or traversals, and interpolations, as image grids.</summary>
    private static List<Picture> Pictures(ReportSection section, ulong seed)
    {
        var model = section.Model;
        var data = section.Data;
        var shape = data.ImageShape!.Value;
        var pictures = new List<Picture>();
        int n = Math.Min(16, data.Count);
        var originals = data.Take(n).Features;
        var reconstructions = model.Reconstruct(originals);
        var both = new float[2 * n * model.Inputs];
        originals.Span.CopyTo(both);
        reconstructions.Span.CopyTo(both.AsSpan(n * model.Inputs));
        pictures.Add(new ImagePicture("reconstructions", ImageGrid.Compose(both, 2 * n, shape, columns: 8), "Reconstructions: inputs (rows 1–2) above their reconstructions (rows 3–4).", 2));
        if (model.Options.IsVariational)
        {
            var samples = Generation.PriorSamples(model, 64, new Rng(seed));
            pictures.Add(new ImagePicture("samples", ImageGrid.Compose(samples.Span, 64, shape, columns: 8), "Samples: the means of p(x | z) for z ~ N(0, I).", 2));
        }

        if (model.Latent == 2)
        {
            var manifold = Generation.Manifold(model, 20);
            pictures.Add(new ImagePicture("manifold", ImageGrid.Compose(manifold.Span, 400, shape, columns: 20), "The 2-D manifold: codes at evenly spaced Gaussian quantiles (Φ⁻¹), decoded.", 1));
        }
        else
        {
            var order = model.Options.IsVariational
                ? (section.Evaluation?.Posterior ?? PosteriorStatistics.Measure(model, data.Features)).DimensionsByKl()
                : Enumerable.Range(0, model.Latent).ToArray();
            int rows = Math.Min(10, order.Length);
            var traversal = Generation.Traverse(model, order[..rows], 11, 3f);
            pictures.Add(new ImagePicture("traversals", ImageGrid.Compose(traversal.Span, rows * 11, shape, columns: 11),
                $"Latent traversals: each row moves one latent over −3…3 around the prior mean; rows by decreasing KL ({rows} of {model.Latent}).", 2));
        }

        if (data.Count >= 2)
        {
            var path = new float[2 * 10 * model.Inputs];
            Generation.Interpolate(model, data.Row(0), data.Row(1), 10, spherical: false).Span.CopyTo(path);
            Generation.Interpolate(model, data.Row(0), data.Row(1), 10, spherical: true).Span.CopyTo(path.AsSpan(10 * model.Inputs));
            pictures.Add(new ImagePicture("interpolation", ImageGrid.Compose(path, 20, shape, columns: 10), "Interpolation between the first two items' codes: linear (top) and spherical (bottom).", 2));
        }

        return pictures;
    }

    /// <summary>The codes scatter (when there are at least two items) and the KL per dimension (when measured).</summary>
    private static List<Picture> Codes(ReportSection section)
    {
        var pictures = new List<Picture>();
        if (Scatter(section.Model, section.Data) is { } scatter)
        {
            pictures.Add(scatter);
        }

        if (section.Evaluation?.Posterior is { } posterior)
        {
            var sorted = posterior.KlPerDimension.OrderDescending().ToArray();
            pictures.Add(new ChartPicture("kl-per-dimension",
                Chart.Bars("KL per latent dimension (sorted)", "nats", [.. Enumerable.Range(1, sorted.Length).Select(i => i.ToString(CultureInfo.InvariantCulture))], [("KL", sorted)]),
                $"{posterior.ActiveUnits} of {sorted.Length} units active (Cov over x of E[z] above 0.01)."));
        }

        return pictures;
    }

    private static ChartPicture? Scatter(Autoencoder model, Dataset data)
    {
        int n = Math.Min(ScatterItems, data.Count);
        if (n < 2)
        {
            return null;
        }

        var subset = data.Take(n);
        var codes = model.Encode(subset.Features);
        string xLabel = "z₁", yLabel = "z₂", caption = $"Mean codes of the first {n} items, coloured by label.";
        if (model.Latent > 2)
        {
            var pca = Pca.Fit(codes, new PcaOptions { Components = 2 });
            codes = pca.Transform(codes);
            (xLabel, yLabel) = ("PC 1 of the codes", "PC 2 of the codes");
            caption = $"Mean codes of the first {n} items projected on their first two principal components, coloured by label.";
        }

        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = codes[i, 0];
            y[i] = model.Latent > 1 ? codes[i, 1] : 0;
        }

        return new ChartPicture("codes", Chart.Scatter("Codes", xLabel, yLabel, x, y, subset.Labels, data.ClassNames), caption);
    }

    // The options that shape this model; settings of parts it does not have (top-k for a VAE, say) are left out.
    private static IEnumerable<(string Name, string Value)> Options(AutoencoderOptions options)
    {
        var json = JsonNode.Parse(options.ToJson())!.AsObject();
        foreach ((string name, JsonNode? value) in json)
        {
            bool relevant = name switch
            {
                "topK" or "topKAlpha" => options.Bottleneck == BottleneckKind.TopK,
                "codeNoise" => options.Bottleneck == BottleneckKind.Binary,
                "sparsityWeight" or "sparsityTarget" => options.Sparsity != SparsityKind.None,
                "mmdKernel" or "mmdScale" => options.MmdWeight > 0,
                "noiseLevel" => options.Noise != NoiseKind.None,
                "sigma" => options.Likelihood == LikelihoodKind.Gaussian,
                "infoAlpha" => options.MmdWeight > 0 || options.InfoAlpha != 0,
                "inputShape" => options.InputShape is not null,
                "tiedWeights" => options.TiedWeights,
                _ => true,
            };
            if (relevant)
            {
                yield return (name, OptionText(name, value, options.InputShape));
            }
        }
    }

    /// <summary>One option's value as the reports' option tables show it: text as it is, the image shape as C×H×W, the rest as JSON.</summary>
    internal static string OptionText(string name, JsonNode? value, ImageShape? shape) =>
        name == "inputShape" && shape is { } image ? image.ToString()
        : value is JsonValue text && text.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "null";
}
