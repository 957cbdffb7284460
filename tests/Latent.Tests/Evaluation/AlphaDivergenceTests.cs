using Latent.Evaluation;

namespace Latent.Tests.Evaluation;

public sealed class AlphaDivergenceTests
{
    private static readonly GaussianMixture1D s_bimodal = GaussianMixture1D.Parse("mixture:0.5,-2,0.6;0.5,2,0.6");

    [Theory]
    [InlineData(-50)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    public void IsZeroForQEqualToPAndPositiveOtherwise(double alpha)
    {
        Assert.Equal(0, AlphaDivergence.Compute(s_bimodal, s_bimodal, alpha), 12);
        var grid = DensityGrid.Around(s_bimodal);
        foreach (var q in new[] { GaussianMixture1D.Gaussian(0, 2), GaussianMixture1D.Gaussian(2, 0.6), GaussianMixture1D.Gaussian(-1, 1.5) })
        {
            double value = AlphaDivergence.Compute(s_bimodal, q, alpha, grid);
            Assert.True(value > 1e-3, $"D_{alpha}(p‖{q}) = {value} should be clearly positive");
        }
    }

    [Fact]
    public void TheLimitsAtZeroAndOneAreTheReverseAndForwardKl()
    {
        var q = GaussianMixture1D.Gaussian(0.5, 1.5);
        var grid = DensityGrid.Around(s_bimodal);
        double[] logP = grid.LogDensity(s_bimodal), logQ = grid.LogDensity(q);
        double forward = AlphaDivergence.KullbackLeibler(logP, logQ, grid.Step);
        double reverse = AlphaDivergence.KullbackLeibler(logQ, logP, grid.Step);
        Assert.NotEqual(forward, reverse, 2);
        Assert.Equal(forward, AlphaDivergence.Compute(logP, logQ, grid.Step, 1), 12);
        Assert.Equal(reverse, AlphaDivergence.Compute(logP, logQ, grid.Step, 0), 12);
        // Approached from either side, D_α tends to the KLs.
        foreach (double epsilon in new[] { 1e-3, -1e-3 })
        {
            Assert.Equal(forward, AlphaDivergence.Compute(logP, logQ, grid.Step, 1 + epsilon), 2);
            Assert.Equal(reverse, AlphaDivergence.Compute(logP, logQ, grid.Step, epsilon), 2);
            Assert.True(Math.Abs(AlphaDivergence.Compute(logP, logQ, grid.Step, 1 + epsilon) - forward) < 0.01 * forward);
            Assert.True(Math.Abs(AlphaDivergence.Compute(logP, logQ, grid.Step, epsilon) - reverse) < 0.01 * reverse);
        }
    }

    [Fact]
    public void BetweenTwoGaussiansTheKlMatchesItsClosedForm()
    {
        var p = GaussianMixture1D.Gaussian(0, 1);
        var q = GaussianMixture1D.Gaussian(1, 2);
        // KL(N(0,1) ‖ N(1,4)) = log 2 + (1 + 1) / 8 − 1/2.
        Assert.Equal(Math.Log(2) + (2.0 / 8) - 0.5, AlphaDivergence.Compute(p, q, 1, DensityGrid.Around(q)), 8);
        // D_½ = 4 (1 − ∫√(pq)), and ∫√(pq) = √(2σ₁σ₂/(σ₁²+σ₂²)) exp(−(μ₁−μ₂)²/(4(σ₁²+σ₂²))).
        double bhattacharyya = Math.Sqrt(2 * 1 * 2 / 5.0) * Math.Exp(-1 / 20.0);
        Assert.Equal(4 * (1 - bhattacharyya), AlphaDivergence.Compute(p, q, 0.5, DensityGrid.Around(q)), 8);
    }

    [Fact]
    public void TheForwardKlFitMatchesPsMeanAndVariance()
    {
        var fit = AlphaGaussianFit.Fit(s_bimodal, 1);
        Assert.Equal(s_bimodal.Mean, fit.Mean, 3);
        Assert.True(Math.Abs((fit.Sigma * fit.Sigma) - s_bimodal.Variance) < 1e-3, $"σ² = {fit.Sigma * fit.Sigma}, p's variance {s_bimodal.Variance}");

        var skewed = GaussianMixture1D.Parse("mixture:0.3,-1,0.5;0.7,1.5,1");
        var skewedFit = AlphaGaussianFit.Fit(skewed, 1);
        Assert.True(Math.Abs(skewedFit.Mean - skewed.Mean) < 1e-3, $"mean {skewedFit.Mean} against {skewed.Mean}");
        Assert.True(Math.Abs((skewedFit.Sigma * skewedFit.Sigma) - skewed.Variance) < 1e-3, $"σ² {skewedFit.Sigma * skewedFit.Sigma} against {skewed.Variance}");
    }

    [Theory]
    [InlineData(-50)]
    [InlineData(0)]
    public void SmallAlphaSeeksOneMode(double alpha)
    {
        var fit = AlphaGaussianFit.Fit(s_bimodal, alpha);
        Assert.True(Math.Abs(Math.Abs(fit.Mean) - 2) < 0.3, $"α = {alpha}: mean {fit.Mean} is not on a mode at ±2");
        Assert.InRange(fit.Sigma, 0.4, 0.8);
    }

    [Fact]
    public void LargeAlphaCoversBothModesAndWidensWithAlpha()
    {
        var fits = AlphaGaussianFit.FitAll(s_bimodal, [0.5, 1, 50]);
        Assert.All(fits.Skip(1), f => Assert.True(Math.Abs(f.Mean) < 0.05, $"α = {f.Alpha}: mean {f.Mean} is not between the modes"));
        Assert.True(fits[2].Sigma > fits[1].Sigma + 0.05, $"σ at α = 50 ({fits[2].Sigma}) should exceed the moment match's ({fits[1].Sigma})");
    }

    [Fact]
    public void TheFitIsDeterministic()
    {
        Assert.Equal(AlphaGaussianFit.Fit(s_bimodal, -50), AlphaGaussianFit.Fit(s_bimodal, -50));
    }

    [Theory]
    [InlineData("mixture:0.5,-2")]
    [InlineData("mixture:0.5,-2,0")]
    [InlineData("mixture:-1,0,1")]
    [InlineData("gaussian:0")]
    [InlineData("gaussian:0,x")]
    [InlineData("laplace:0,1")]
    public void BadDensitiesAreRejectedByName(string specification)
    {
        var exception = Assert.Throws<FormatException>(() => GaussianMixture1D.Parse(specification));
        Assert.Contains(specification, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NelderMeadFindsTheMinimumOfRosenbrock()
    {
        var (point, value, _) = NelderMead.Minimize(x => Math.Pow(1 - x[0], 2) + (100 * Math.Pow(x[1] - (x[0] * x[0]), 2)), [-1.2, 1], [0.5, 0.5]);
        Assert.Equal(1, point[0], 4);
        Assert.Equal(1, point[1], 4);
        Assert.True(value < 1e-8);
    }
}
