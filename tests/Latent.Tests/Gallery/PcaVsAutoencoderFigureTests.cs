using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class PcaVsAutoencoderFigureTests
{
    [Fact]
    public void ToyRunMeasuresTheReconstructionTableAndDrawsTwoCodePanels()
    {
        using var folder = new TempFolder();
        var figure = new PcaVsAutoencoderFigure();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        double pca30 = outcome.Numbers.Single(n => n.Name == "30-D PCA, squared error per image").Measured;
        double pca2 = outcome.Numbers.Single(n => n.Name == "2-D PCA, squared error per image").Measured;
        double ae30 = outcome.Numbers.Single(n => n.Name == "30-D deep autoencoder, squared error per image").Measured;

        // The error is summed over the 784 pixels in [0, 1] and averaged over images: 30-D PCA near the paper's 13.87.
        Assert.InRange(pca30, 8, 20);
        Assert.True(pca30 < pca2, $"30-D PCA error {pca30} against 2-D {pca2}");
        Assert.True(double.IsFinite(ae30) && ae30 > 0 && ae30 < 784, $"30-D autoencoder error {ae30}");
        Assert.Equal(3.00, outcome.Numbers.Single(n => n.Name.StartsWith("30-D deep", StringComparison.Ordinal)).Published);
        Assert.Single(outcome.Tables);
        Assert.Equal(4, outcome.Tables[0].Rows.Count);

        Assert.Equal(2, outcome.Figure.Columns);
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
