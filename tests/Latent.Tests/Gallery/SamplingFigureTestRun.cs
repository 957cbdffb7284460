using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

/// <summary>Runs a figure at toy scale in a temporary folder and checks that its picture renders.</summary>
internal static class SamplingFigureTestRun
{
    public static GalleryOutcome Run(GalleryFigure figure, TempFolder folder)
    {
        var context = new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);
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
}
