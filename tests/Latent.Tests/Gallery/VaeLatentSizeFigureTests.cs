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
        var context = new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);
        var outcome = figure.Run(context);

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

        Assert.Equal(2, outcome.Tables.Count);
        Assert.Equal(4, outcome.Tables[0].Rows.Count);

        // Sample quality per latent size: every model's samples are measured, all nearer the held-out digits than
        // noise and farther than real digits. (Which size samples best needs the quick scale's training: after two
        // toy epochs on 540 images every size still draws blobs.)
        var qualities = new[] { 2, 5, 10, 20 }.Select(latent => SamplingFigureTestRun.QualityOf(outcome, $"{latent} latents")).ToArray();
        var floor = SamplingFigureTestRun.QualityOf(outcome, "real training digits (the floor)");
        foreach (var quality in qualities.Append(floor))
        {
            SamplingFigureTestRun.AssertWellFormed(quality);
        }

        var data = context.Data("mnist-10k").Take(600);
        double noise = SamplingFigureTestRun.NoiseFrechet(context, data.Split(0.1, 0).Validation);
        Assert.True(qualities.Max(q => q.Frechet) < 0.8 * noise, $"the models' FD {string.Join(", ", qualities.Select(q => q.Frechet))} against noise {noise}");
        Assert.True(floor.Frechet < 0.5 * qualities.Min(q => q.Frechet), $"real digits FD {floor.Frechet} against the models' {string.Join(", ", qualities.Select(q => q.Frechet))}");
        Assert.Equal(5, outcome.Tables[1].Rows.Count);
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
        Assert.Equal(12, figure.Commands(GalleryScale.Quick).Count);
    }

    internal static double Number(GalleryOutcome outcome, string name) =>
        outcome.Numbers.Single(n => n.Name == name).Measured;
}
