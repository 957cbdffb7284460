using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class VaeManifoldFigureTests
{
    [Fact]
    public void BothLatentsOfTheTwoDimensionalVaeAreUsed()
    {
        using var folder = new TempFolder();
        var figure = new VaeManifoldFigure();
        var context = SamplingFigureTestRun.Context(figure, folder);
        var outcome = SamplingFigureTestRun.Run(figure, context);
        Assert.Equal(2, SamplingFigureTestRun.Number(outcome, "active latents"));
        Assert.True(SamplingFigureTestRun.Number(outcome, "KL(q(z|x) ‖ N(0, I)) of latent 1") > 0.5);
        Assert.True(SamplingFigureTestRun.Number(outcome, "KL(q(z|x) ‖ N(0, I)) of latent 2") > 0.5);

        // An untrained 784-input Bernoulli model scores about −545 nats per image; the trained one far better.
        Assert.InRange(SamplingFigureTestRun.Number(outcome, "held-out ELBO"), -260, 0);
        Assert.Equal((1, 2), (outcome.Figure.Rows, outcome.Figure.Columns));

        // Its prior samples are digits of many classes (toy training: not yet all): far nearer the held-out digits than noise is, though two
        // latents blur them well above the floor of real digits.
        var samples = SamplingFigureTestRun.QualityOf(outcome, "VAE, z ~ N(0, I)");
        var floor = SamplingFigureTestRun.QualityOf(outcome, "real training digits (the floor)");
        SamplingFigureTestRun.AssertWellFormed(samples);
        SamplingFigureTestRun.AssertWellFormed(floor);
        var heldOut = context.Data("mnist-10k").Take(2000).Split(0.1, 0).Validation;
        double noise = SamplingFigureTestRun.NoiseFrechet(context, heldOut);
        Assert.True(samples.Frechet < 0.5 * noise, $"samples FD {samples.Frechet} against noise {noise}");
        Assert.True(floor.Frechet < samples.Frechet, $"real digits FD {floor.Frechet} against samples {samples.Frechet}");
        Assert.True(samples.Found >= 5, $"the samples cover {samples.Found} classes");
    }
}
