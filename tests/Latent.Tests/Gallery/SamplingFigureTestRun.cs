using Latent.Data;
using Latent.Evaluation;
using Latent.Gallery;
using Latent.Tensors;

namespace Latent.Tests.Gallery;

/// <summary>Runs a figure at toy scale in a temporary folder and checks that its picture renders.</summary>
internal static class SamplingFigureTestRun
{
    public static GalleryOutcome Run(GalleryFigure figure, TempFolder folder) => Run(figure, Context(figure, folder));

    public static GalleryContext Context(GalleryFigure figure, TempFolder folder) =>
        new(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);

    public static GalleryOutcome Run(GalleryFigure figure, GalleryContext context)
    {
        var outcome = figure.Run(context);
        byte[] png = outcome.Figure.ToPng();
        Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G');
        string svg = outcome.Figure.ToSvg();
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.All(outcome.Numbers, n => Assert.True(double.IsFinite(n.Measured), n.Name));
        Assert.NotEmpty(figure.Commands(GalleryScale.Quick));
        Assert.False(string.IsNullOrWhiteSpace(outcome.Data));
        return outcome;
    }

    public static double Number(GalleryOutcome outcome, string prefix) =>
        outcome.Numbers.Single(n => n.Name.StartsWith(prefix, StringComparison.Ordinal)).Measured;

    /// <summary>The sample-quality numbers and table row a figure printed for the samples called <paramref name="label"/>.</summary>
    public static Quality QualityOf(GalleryOutcome outcome, string label)
    {
        double Named(string measure) => outcome.Numbers.Single(n => n.Name == SampleQualityNumbers.Name(measure, label)).Measured;
        var row = outcome.Tables.Single(t => t.Title.StartsWith("Sample quality", StringComparison.Ordinal)).Rows.Single(r => r[0] == label);
        double Cell(int column) => double.Parse(row[column], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"{Named("classes found")} of ", row[2], StringComparison.Ordinal);
        return new Quality(Named("Fréchet distance"), (int)Named("classes found"), Cell(3), Cell(4), Cell(5));
    }

    /// <summary>
    /// The Fréchet distance of uniform noise images against the same reference, in the same classifier's features
    /// (the context's data set is loaded once, so its classifier is not trained again).
    /// </summary>
    public static double NoiseFrechet(GalleryContext context, Dataset reference)
    {
        var quality = SampleQualityNumbers.For(context, "mnist-10k", reference, "reference");
        var rng = new Rng(99);
        var noise = Tensor.Zeros(quality.Count, reference.Dimension);
        foreach (ref float value in noise.Span)
        {
            value = rng.NextFloat();
        }

        return quality.Measure(noise).Frechet;
    }

    /// <summary>Checks what holds for any measured set of samples: finite, non-negative, proportions in [0, 1].</summary>
    public static void AssertWellFormed(Quality quality)
    {
        Assert.True(double.IsFinite(quality.Frechet) && quality.Frechet >= 0, $"Fréchet distance {quality.Frechet}");
        Assert.InRange(quality.Found, 0, 10);
        Assert.InRange(quality.Entropy, 0, Math.Log(10) + 1e-9);
        Assert.InRange(quality.Precision, 0, 1);
        Assert.InRange(quality.Recall, 0, 1);
    }

    public sealed record Quality(double Frechet, int Found, double Entropy, double Precision, double Recall);
}
