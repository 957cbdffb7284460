using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class VaeManifoldFigureTests
{
    [Fact]
    public void BothLatentsOfTheTwoDimensionalVaeAreUsed()
    {
        using var folder = new TempFolder();
        var outcome = SamplingFigureTestRun.Run(new VaeManifoldFigure(), folder);
        Assert.Equal(2, SamplingFigureTestRun.Number(outcome, "active latents"));
        Assert.True(SamplingFigureTestRun.Number(outcome, "KL(q(z|x) ‖ N(0, I)) of latent 1") > 0.5);
        Assert.True(SamplingFigureTestRun.Number(outcome, "KL(q(z|x) ‖ N(0, I)) of latent 2") > 0.5);

        // An untrained 784-input Bernoulli model scores about −545 nats per image; the trained one far better.
        Assert.InRange(SamplingFigureTestRun.Number(outcome, "held-out ELBO"), -260, 0);
        Assert.Equal((1, 2), (outcome.Figure.Rows, outcome.Figure.Columns));
    }
}
