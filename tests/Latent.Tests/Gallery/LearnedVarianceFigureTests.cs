using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class LearnedVarianceFigureTests
{
    [Fact]
    public void TheLearnedSigmaIsTheRmsReconstructionError()
    {
        var figure = new LearnedVarianceFigure();
        using var folder = new TempFolder();
        var context = new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);
        var outcome = figure.Run(context);
        double sigma = VaeLatentSizeFigureTests.Number(outcome, "final σ (learned)");
        double rms = VaeLatentSizeFigureTests.Number(outcome, "RMS reconstruction error per pixel, z ~ q(z|x), training images");

        // σ starts at 1; at the optimum σ² is the mean squared error per pixel.
        Assert.InRange(rms, 0.05, 0.5);
        Assert.InRange(sigma / rms, 0.9, 1.1);

        // The means f(z) of prior draws measure far nearer the digits than noise, and farther than real digits.
        var samples = SamplingFigureTestRun.QualityOf(outcome, "f(z), z ~ N(0, I)");
        var floor = SamplingFigureTestRun.QualityOf(outcome, "other real digits (the floor)");
        SamplingFigureTestRun.AssertWellFormed(samples);
        SamplingFigureTestRun.AssertWellFormed(floor);
        var all = context.Data("mnist-10k");
        double noise = SamplingFigureTestRun.NoiseFrechet(context, all.Subset([.. Enumerable.Range(all.Count - 1000, 1000)]));
        Assert.True(samples.Frechet < 0.5 * noise, $"samples FD {samples.Frechet} against noise {noise}");
        Assert.True(floor.Frechet < samples.Frechet, $"real digits FD {floor.Frechet} against samples {samples.Frechet}");
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
