using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class BinaryCodesFigureTests
{
    [Fact]
    public void TheBinaryAutoencoderGivesEightDistinctCodesAndExactReconstructions()
    {
        using var folder = new TempFolder();
        var figure = new BinaryCodesFigure();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        Assert.Equal(8, outcome.Numbers.Single(n => n.Name.StartsWith("distinct codes", StringComparison.Ordinal)).Measured);
        Assert.Equal(8, outcome.Numbers.Single(n => n.Name.StartsWith("exact reconstructions", StringComparison.Ordinal)).Measured);
        var table = Assert.Single(outcome.Tables);
        Assert.Equal(8, table.Rows.Count);
        Assert.Equal(8, table.Rows.Select(r => r[2]).Distinct().Count());
        Assert.All(table.Rows, r => Assert.Equal(3, r[2].Length));
        Assert.All(table.Rows, r => Assert.Equal(r[1], r[3]));
        Assert.True(outcome.Figure.ToPng().Length > 1000);
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("LATENT_TEST_PNG") is { Length: > 0 } png)
        {
            File.WriteAllBytes(png, outcome.Figure.ToPng());
        }
    }
}
