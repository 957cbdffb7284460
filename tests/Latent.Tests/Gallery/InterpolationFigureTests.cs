using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class InterpolationFigureTests
{
    [Fact]
    public void TheLinearPathBetweenPriorDrawsDipsTowardTheOriginAndSlerpDoesNot()
    {
        using var folder = new TempFolder();
        var outcome = SamplingFigureTestRun.Run(new InterpolationFigure(), folder);
        double linearMin = SamplingFigureTestRun.Number(outcome, "generated pair: minimum ‖z‖ along the linear path");
        double sphericalMin = SamplingFigureTestRun.Number(outcome, "generated pair: minimum ‖z‖ along the spherical path");
        double smallerEnd = SamplingFigureTestRun.Number(outcome, "generated pair: smaller end's ‖z‖");
        Assert.True(linearMin < sphericalMin, $"linear minimum {linearMin} is not below spherical minimum {sphericalMin}");
        Assert.True(sphericalMin >= 0.99 * smallerEnd, $"slerp fell to {sphericalMin}, below the smaller end {smallerEnd}");

        // Two independent 20-D draws: the linear midpoint has about √10 ≈ 3.2 against ≈ 4.5 at the ends.
        Assert.True(linearMin < 0.85 * smallerEnd, $"linear minimum {linearMin} against the ends' {smallerEnd}");
        Assert.True(SamplingFigureTestRun.Number(outcome, "generated pair: mean ‖z‖ along the linear path")
            < SamplingFigureTestRun.Number(outcome, "generated pair: mean ‖z‖ along the spherical path"));
        Assert.True(SamplingFigureTestRun.Number(outcome, "real pair: minimum ‖z‖ along the linear path")
            <= SamplingFigureTestRun.Number(outcome, "real pair: minimum ‖z‖ along the spherical path") + 1e-4);

        // An untrained 784-input Bernoulli model scores about −545 nats per image; three epochs already far better.
        Assert.InRange(SamplingFigureTestRun.Number(outcome, "held-out ELBO"), -260, 0);
        Assert.Equal((5, 1), (outcome.Figure.Rows, outcome.Figure.Columns));
    }
}
