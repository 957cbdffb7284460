using System.Globalization;
using System.Text.Json.Nodes;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Visuals;

/// <summary>
/// The report part of a generative adversarial network: its metrics, its options, the curves of the training
/// metrics (the two losses, D's mean P(real) on real and generated items, the information term), a grid of samples,
/// interpolations between generated images and, for an InfoGAN, the traversals of its continuous codes.
/// </summary>
internal static class AdversarialReport
{
    /// <summary>Samples in the grid.</summary>
    public const int Samples = 64;

    /// <summary>Images per interpolation row and per traversal row.</summary>
    public const int Steps = 10;

    /// <summary>The part of the report on <paramref name="section"/>; <paramref name="seed"/> draws the z's.</summary>
    public static ReportPart Part(AdversarialReportSection section, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(section);
        var tables = new List<ReportTable>();
        if (section.Metrics is { Count: > 0 } metrics)
        {
            tables.Add(new ReportTable(section.MetricsHeading, null, [.. metrics.Select(r => new ReportRow(r.Name, [r.Value]))], Numeric: true));
        }

        var options = JsonNode.Parse(section.Network.Options.ToJson())!.AsObject()
            .Where(p => p.Value is not null && !(p.Value is JsonArray { Count: 0 }) && !(p.Value is JsonValue v && v.TryGetValue(out string? s) && s.Length == 0))
            .Select(p => (p.Key, RunReport.OptionText(p.Key, p.Value, section.Network.Options.InputShape)));
        tables.Add(new ReportTable("Options", null, [.. options.Concat(section.Training ?? []).Select(r => new ReportRow(r.Item1, [r.Item2]))], Numeric: false));
        var groups = new List<ReportGroup>();
        if (Curves(section.History) is { Count: > 0 } curves)
        {
            groups.Add(new ReportGroup("Training curves", curves));
        }

        if (section.Network.Options.InputShape is { } shape)
        {
            groups.Add(new ReportGroup("Pictures", Pictures(section.Network, shape, seed)));
        }

        return new ReportPart(section.Title, tables, groups);
    }

    // The losses on one chart, D's scores on another, and each other metric (the information term) on its own.
    private static List<Picture> Curves(TrainingHistory? history)
    {
        var pictures = new List<Picture>();
        if (history is not { Epochs.Count: > 0 })
        {
            return pictures;
        }

        var names = history.MetricNames;
        double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
        IReadOnlyList<double> Series(string name) => [.. history.Epochs.Select(e => e.Metric(name) ?? double.NaN)];
        void Chart(string id, string title, string yLabel, string[] metrics, string? caption)
        {
            string[] present = [.. metrics.Where(names.Contains)];
            if (present.Length > 0)
            {
                pictures.Add(new ChartPicture(id, Visuals.Chart.Lines(title, "epoch", yLabel, [.. present.Select(m => (m, Series(m)))], epochs), caption));
            }
        }

        Chart("curve-losses", "Losses", "nats per item", [AdversarialTarget.DiscriminatorMetric, AdversarialTarget.GeneratorMetric],
            "The discriminator's cross-entropy on real and generated items and the generator's non-saturating −log D(G(z)), means over each epoch's batches.");
        Chart("curve-scores", "Discriminator scores", "mean D(x)", [AdversarialTarget.RealScoreMetric, AdversarialTarget.FakeScoreMetric],
            "The discriminator's mean P(real) on the real items and on the generated ones: at equilibrium both near ½; a fake score near 0 is a discriminator that wins.");
        string[] shown = [AdversarialTarget.DiscriminatorMetric, AdversarialTarget.GeneratorMetric, AdversarialTarget.RealScoreMetric, AdversarialTarget.FakeScoreMetric];
        foreach (string name in names.Where(n => !shown.Contains(n) && history.Epochs.Any(e => e.Metric(n) is { } v && v != 0)))
        {
            Chart("curve-" + name, name, name == AdversarialTarget.InformationMetric ? "nats (before λ)" : "value", [name],
                name == AdversarialTarget.InformationMetric ? "InfoGAN's information term: ½‖c − μ(x)‖² over the continuous codes (+ the categorical codes' cross-entropy); lower means Q recovers the codes." : null);
        }

        return pictures;
    }

    private static List<Picture> Pictures(AdversarialNetwork network, ImageShape shape, ulong seed)
    {
        var pictures = new List<Picture>();
        var samples = network.Sample(Samples, seed);
        pictures.Add(new ImagePicture("samples", ImageGrid.Compose(samples.Span, Samples, shape, columns: 8),
            $"Samples: G(z) for {Samples} draws of z (seed {seed}).", 2));

        // Four pairs of z's, each joined linearly (the generator's input is a box, U(−1, 1), where straight lines stay inside).
        const int pairs = 4;
        var ends = network.DrawLatent(2 * pairs, seed ^ 0x1D7E_55A3_0C9B_42F1UL);
        var path = Tensor.Zeros(pairs * Steps, network.LatentSize);
        for (int p = 0; p < pairs; p++)
        {
            Generation.InterpolateCodes(ends.Row(2 * p), ends.Row((2 * p) + 1), Steps, spherical: false).Span
                .CopyTo(path.Span.Slice(p * Steps * network.LatentSize, Steps * network.LatentSize));
        }

        pictures.Add(new ImagePicture("interpolation", ImageGrid.Compose(network.Generate(path).Span, pairs * Steps, shape, columns: Steps),
            $"Interpolations between generated images: each row is G(z) along the straight line between two draws of z, in {Steps} steps.", 2));

        if (network.Options.ContinuousCodes > 0)
        {
            var origin = network.DrawLatent(1, seed ^ 0x5B2C_9E4D_13A7_F608UL);
            var traversal = network.Generate(network.CodeTraversal(origin.Row(0), [.. Enumerable.Range(0, network.Options.ContinuousCodes)], Steps, 2f));
            pictures.Add(new ImagePicture("traversals", ImageGrid.Compose(traversal.Span, network.Options.ContinuousCodes * Steps, shape, columns: Steps),
                string.Create(CultureInfo.InvariantCulture, $"Traversals of the {network.Options.ContinuousCodes} continuous codes, one row each: code c_i from −2 to 2 (trained on U(−1, 1); beyond shows how it extrapolates), the rest of z fixed."), 2));
        }

        return pictures;
    }
}
