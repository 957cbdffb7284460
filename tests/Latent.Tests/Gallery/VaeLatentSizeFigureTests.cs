using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class VaeLatentSizeFigureTests
{
    [Fact]
    public void EveryLatentSizeHasAFiniteBoundBelowItsLikelihood()
    {
        var figure = new VaeLatentSizeFigure();
        using var folder = new TempFolder();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        foreach (int latent in new[] { 2, 5, 10, 20 })
        {
            double elbo = Number(outcome, $"{latent} latents: held-out ELBO");
            double logLikelihood = Number(outcome, $"{latent} latents: held-out log p(x)");
            Assert.InRange(elbo, -400, -50);

            // The importance-sampled estimate is a tighter bound than the ELBO (k = 20 against k = 1; a small
            // allowance for the Monte Carlo noise of the single-sample ELBO).
            Assert.True(logLikelihood > elbo - 1, $"{latent} latents: log p(x) {logLikelihood} is below the ELBO {elbo}");
            Assert.InRange(Number(outcome, $"{latent} latents: active units"), 1, latent);
        }

        Assert.Single(outcome.Tables);
        Assert.Equal(4, outcome.Tables[0].Rows.Count);
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
        Assert.Equal(12, figure.Commands(GalleryScale.Quick).Count);
    }

    internal static double Number(GalleryOutcome outcome, string name) =>
        outcome.Numbers.Single(n => n.Name == name).Measured;
}
