using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class LinearAePcaFigureTests
{
    [Fact]
    public void TheLinearAutoencoderAndEmReachPcasSubspace()
    {
        using var folder = new TempFolder();
        var figure = new LinearAePcaFigure();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        double ae = outcome.Numbers.Single(n => n.Name.StartsWith("linear AE: largest", StringComparison.Ordinal)).Measured;
        double em = outcome.Numbers.Single(n => n.Name.StartsWith("EM: largest", StringComparison.Ordinal)).Measured;
        Assert.True(ae < 1, $"the linear autoencoder's decoder is {ae:G4}° from PCA's subspace");
        Assert.True(em < 1e-3, $"EM's loadings are {em:G4}° from PCA's subspace");
        Assert.True(outcome.Numbers.Single(n => n.Name == "linear AE: first epoch under 1°").Measured > 1, "the angle must start large: the run must show the convergence");
        Assert.NotEmpty(outcome.Tables);
        Assert.True(outcome.Figure.ToPng().Length > 1000);
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);

        // The second run reuses the trained model and gives the same numbers.
        var again = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));
        Assert.Equal(ae, again.Numbers.Single(n => n.Name.StartsWith("linear AE: largest", StringComparison.Ordinal)).Measured);
    }
}
