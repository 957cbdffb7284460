using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Latent.Classical;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Visuals;

/// <summary>
/// The self-contained HTML report of one or more trained models: options, training curves per loss term,
/// reconstructions, prior samples, the manifold or traversals, the codes scatter and the metrics table.
/// </summary>
/// <remarks>
/// One file with nothing to fetch: PNG pictures are inlined as base64 data URIs and SVG charts inline, so the
/// report opens anywhere and can be mailed as it is. It is written atomically.
/// </remarks>
public static class HtmlReport
{
    private const int ScatterItems = 2000;

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 1320px; margin: 24px auto; padding: 0 16px; color: #222; }
        h1 { font-size: 26px; } h2 { font-size: 21px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 36px; }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        p.note { color: #555; }
        table { border-collapse: collapse; font-size: 14px; }
        td, th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .figure { margin: 0; }
        .figure figcaption { font-size: 13px; color: #555; max-width: 640px; }
        img.grid { image-rendering: pixelated; max-width: 100%; height: auto; }
        svg { max-width: 100%; height: auto; }
        .charts svg { width: 370px; }
        """;

    /// <summary>The report as an HTML document.</summary>
    public static string Render(string title, string? note, IReadOnlyList<ReportSection> sections, ulong seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentNullException.ThrowIfNull(sections);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(title)).Append("</title>\n");
        html.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        if (!string.IsNullOrEmpty(note))
        {
            html.Append("<p class=\"note\">").Append(Encode(note)).Append("</p>\n");
        }

        if (sections.Count > 1)
        {
            html.Append("<ul>\n");
            for (int s = 0; s < sections.Count; s++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#section{s}\">{Encode(sections[s].Title)}</a></li>\n");
            }

            html.Append("</ul>\n");
            html.Append(Comparison(sections));
        }

        for (int s = 0; s < sections.Count; s++)
        {
            Section(html, sections[s], s, seed);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string title, string? note, IReadOnlyList<ReportSection> sections, ulong seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Render(title, note, sections, seed)));
    }

    private static string Comparison(IReadOnlyList<ReportSection> sections)
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
            return string.Empty;
        }

        var html = new StringBuilder("<h2>Metrics side by side</h2>\n<table>\n<tr><th>metric</th>");
        foreach (var section in sections)
        {
            html.Append("<th>").Append(Encode(section.Title)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (string name in names)
        {
            html.Append("<tr><td>").Append(Encode(name)).Append("</td>");
            foreach (var section in sections)
            {
                string value = section.Evaluation?.Rows().FirstOrDefault(r => r.Name == name).Value ?? "–";
                html.Append("<td class=\"num\">").Append(Encode(value)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
        html.Append(Figure(RepresentationBars(sections), "How well each model's mean codes separate the labels: a linear probe, and k-means on the codes matched to the labels."));
        return html.ToString();
    }

    /// <summary>The label-based scores of the codes (all in [0, 1] but ARI), as grouped bars per model.</summary>
    private static string RepresentationBars(IReadOnlyList<ReportSection> sections)
    {
        string[] metrics = ["probe accuracy", "k-means accuracy", "NMI", "ARI"];
        var series = new List<(string Name, IReadOnlyList<double> Values)>();
        foreach (var section in sections)
        {
            var e = section.Evaluation;
            series.Add((section.Title, [e?.ProbeAccuracy ?? double.NaN, e?.ClusterAccuracy ?? double.NaN, e?.Nmi ?? double.NaN, e?.Ari ?? double.NaN]));
        }

        return SvgChart.Bars("Codes against the labels", "score", metrics, series);
    }

    private static void Section(StringBuilder html, ReportSection section, int index, ulong seed)
    {
        var model = section.Model;
        var data = section.Data;
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"section{index}\">{Encode(section.Title)}</h2>\n");

        html.Append("<div class=\"row\">\n");
        if (section.Evaluation is { } evaluation)
        {
            html.Append("<div><h3>Metrics on ").Append(Encode(evaluation.Data)).Append("</h3>\n<table>\n");
            foreach ((string name, string value) in evaluation.Rows())
            {
                html.Append("<tr><td>").Append(Encode(name)).Append("</td><td class=\"num\">").Append(Encode(value)).Append("</td></tr>\n");
            }

            html.Append("</table></div>\n");
        }

        html.Append("<div><h3>Options</h3>\n<table>\n");
        foreach ((string name, string value) in Options(model.Options).Concat(section.Training ?? []))
        {
            html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>").Append(Encode(value)).Append("</td></tr>\n");
        }

        html.Append("</table></div>\n</div>\n");

        if (section.History is { Epochs.Count: > 0 } history)
        {
            html.Append("<h3>Training curves</h3>\n<div class=\"row charts\">\n");
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

                html.Append(Figure(SvgChart.Lines(LossTerms.Names[term], "epoch", "nats per item", series), null));
            }

            html.Append("</div>\n");
        }

        if (data.ImageShape is { } shape && data.Count > 0)
        {
            html.Append("<h3>Pictures</h3>\n<div class=\"row\">\n");
            int n = Math.Min(16, data.Count);
            var originals = data.Take(n).Features;
            var reconstructions = model.Reconstruct(originals);
            var both = new float[2 * n * model.Inputs];
            originals.Span.CopyTo(both);
            reconstructions.Span.CopyTo(both.AsSpan(n * model.Inputs));
            html.Append(Image(ImageGrid.Compose(both, 2 * n, shape, columns: 8), "Reconstructions: inputs (rows 1–2) above their reconstructions (rows 3–4).", 2));
            if (model.Options.IsVariational)
            {
                var samples = Generation.PriorSamples(model, 64, new Rng(seed));
                html.Append(Image(ImageGrid.Compose(samples.Span, 64, shape, columns: 8), "Samples: the means of p(x | z) for z ~ N(0, I).", 2));
            }

            if (model.Latent == 2)
            {
                var manifold = Generation.Manifold(model, 20);
                html.Append(Image(ImageGrid.Compose(manifold.Span, 400, shape, columns: 20), "The 2-D manifold: codes at evenly spaced Gaussian quantiles (Φ⁻¹), decoded.", 1));
            }
            else
            {
                var order = model.Options.IsVariational
                    ? (section.Evaluation?.Posterior ?? PosteriorStatistics.Measure(model, data.Features)).DimensionsByKl()
                    : Enumerable.Range(0, model.Latent).ToArray();
                int rows = Math.Min(10, order.Length);
                var traversal = Generation.Traverse(model, order[..rows], 11, 3f);
                html.Append(Image(ImageGrid.Compose(traversal.Span, rows * 11, shape, columns: 11),
                    $"Latent traversals: each row moves one latent over −3…3 around the prior mean; rows by decreasing KL ({rows} of {model.Latent}).", 2));
            }

            if (data.Count >= 2)
            {
                var path = new float[2 * 10 * model.Inputs];
                Generation.Interpolate(model, data.Row(0), data.Row(1), 10, spherical: false).Span.CopyTo(path);
                Generation.Interpolate(model, data.Row(0), data.Row(1), 10, spherical: true).Span.CopyTo(path.AsSpan(10 * model.Inputs));
                html.Append(Image(ImageGrid.Compose(path, 20, shape, columns: 10), "Interpolation between the first two items' codes: linear (top) and spherical (bottom).", 2));
            }

            html.Append("</div>\n");
        }

        html.Append("<h3>Codes</h3>\n<div class=\"row charts\">\n");
        html.Append(Scatter(model, data));
        if (section.Evaluation?.Posterior is { } posterior)
        {
            var sorted = posterior.KlPerDimension.OrderDescending().ToArray();
            html.Append(Figure(SvgChart.Bars("KL per latent dimension (sorted)", "nats", [.. Enumerable.Range(1, sorted.Length).Select(i => i.ToString(CultureInfo.InvariantCulture))], [("KL", sorted)]),
                $"{posterior.ActiveUnits} of {sorted.Length} units active (Cov over x of E[z] above 0.01)."));
        }

        html.Append("</div>\n");
    }

    private static string Scatter(Autoencoder model, Dataset data)
    {
        int n = Math.Min(ScatterItems, data.Count);
        if (n < 2)
        {
            return string.Empty;
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

        return Figure(SvgChart.Scatter("Codes", xLabel, yLabel, x, y, subset.Labels), caption);
    }

    // The options that shape this model; settings of parts it does not have (top-k for a VAE, say) are left out.
    private static IEnumerable<(string, string)> Options(AutoencoderOptions options)
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
                _ => true,
            };
            if (relevant)
            {
                yield return (name, value is JsonValue text && text.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "null");
            }
        }
    }

    private static string Figure(string svg, string? caption) =>
        "<figure class=\"figure\">\n" + svg + (caption is null ? string.Empty : $"<figcaption>{Encode(caption)}</figcaption>\n") + "</figure>\n";

    private static string Image(PngImage image, string caption, int zoom) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<figure class=\"figure\"><img class=\"grid\" width=\"{image.Width * zoom}\" height=\"{image.Height * zoom}\" alt=\"{Encode(caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(Png.Encode(image))}\">\n<figcaption>{Encode(caption)}</figcaption></figure>\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
