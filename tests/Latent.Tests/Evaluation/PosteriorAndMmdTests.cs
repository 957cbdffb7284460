using Latent.Evaluation;
using Latent.Tensors;

namespace Latent.Tests.Evaluation;

public sealed class PosteriorAndMmdTests
{
    [Fact]
    public void KlPerDimensionMatchesTheFormulaAndCollapsedUnitIsInactive()
    {
        var model = ImportanceSamplingTests.LinearGaussian(0, 0);
        var state = model.StateDict();
        for (int i = 0; i < 5; i++)
        {
            state["bottleneck.mean.weight"][1, i] = 0;
        }

        state["bottleneck.mean.bias"][1] = 0;
        state["bottleneck.log_var.bias"][1] = 0;
        var data = ImportanceSamplingTests.Draw(50, 8);
        var statistics = PosteriorStatistics.Measure(model, data, batchSize: 7);

        Assert.Equal(1, statistics.ActiveUnits);
        Assert.Equal(0.0, statistics.KlPerDimension[1], 9);
        var codes = model.Encode(data);
        double logVariance = state["bottleneck.log_var.bias"][0];
        double expected = 0;
        for (int n = 0; n < data.Rows; n++)
        {
            double m = codes[n, 0];
            expected += 0.5 * ((m * m) + Math.Exp(logVariance) - 1 - logVariance);
        }

        Assert.Equal(expected / data.Rows, statistics.KlPerDimension[0], 5);
        Assert.Equal([0, 1], statistics.DimensionsByKl());
    }

    [Fact]
    public void MmdIsNearZeroForTheSameDistributionAndGrowsWithAShift()
    {
        var rng = new Rng(5);
        var a = Tensor.Zeros(400, 3);
        var b = Tensor.Zeros(400, 3);
        rng.FillNormal(a.Span);
        rng.FillNormal(b.Span);
        double same = Mmd.Squared(a, b);
        var shifted = b.Clone();
        for (int i = 0; i < shifted.Rows; i++)
        {
            shifted[i, 0] += 1.5f;
        }

        double apart = Mmd.Squared(a, shifted);
        Assert.True(Math.Abs(same) < 0.01, $"MMD² of two N(0, I) samples was {same}.");
        Assert.True(apart > 0.1, $"MMD² with a shift of 1.5 was {apart}.");
    }

    [Fact]
    public void MmdOfOneSampleAgainstItselfByHand()
    {
        // Two points each: x = {0, 1}, y = {0, 1} in 1-D: k(0, 1) = exp(−1/2), so MMD² = k + k − 2·(1 + k)/2 = k − 1.
        var x = Tensor.FromArray([0f, 1f], 2, 1);
        double k = Math.Exp(-0.5);
        Assert.Equal(k - 1, Mmd.Squared(x, x.Clone()), 12);
    }
}
