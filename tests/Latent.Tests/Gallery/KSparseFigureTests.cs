using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class KSparseFigureTests
{
    [Fact]
    public void ToyRunMeasuresBothTablesAndDrawsTheFilters()
    {
        using var folder = new TempFolder();
        var figure = new KSparseFigure();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        // Table 1: raw pixels, plain AE, dropout AE and k = 10, 25, 40; Table 3: three fine-tuned networks.
        Assert.Equal(2, outcome.Tables.Count);
        Assert.Equal(6, outcome.Tables[0].Rows.Count);
        Assert.Equal(3, outcome.Tables[1].Rows.Count);
        Assert.Equal(9, outcome.Numbers.Count);
        Assert.All(outcome.Numbers, n => Assert.InRange(n.Measured, 0, 100));
        Assert.Equal(7.20, outcome.Numbers.Single(n => n.Name.EndsWith("raw pixels", StringComparison.Ordinal)).Published);

        // Sparse codes are better linear features than the plain autoencoder's dense linear code.
        double plain = outcome.Numbers.Single(n => n.Name == "Linear classifier error: plain autoencoder").Measured;
        double k25 = outcome.Numbers.Single(n => n.Name == "Linear classifier error: k-sparse autoencoder, k = 25").Measured;
        Assert.True(k25 < plain, $"k = 25 linear-classifier error {k25} % against the plain autoencoder's {plain} %");

        // One filter grid per k.
        Assert.Equal(4, outcome.Figure.Columns);
        Assert.Contains("mnist-10k", outcome.Data, StringComparison.Ordinal);
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent finetune", StringComparison.Ordinal));
    }
}
