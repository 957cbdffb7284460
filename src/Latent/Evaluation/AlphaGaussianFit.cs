namespace Latent.Evaluation;

/// <summary>The Gaussian q = N(<see cref="Mean"/>, <see cref="Sigma"/>²) that minimises D_α(p‖q) for one α.</summary>
/// <param name="Alpha">The α of the divergence.</param>
/// <param name="Mean">q's mean.</param>
/// <param name="Sigma">q's standard deviation.</param>
/// <param name="Divergence">D_α(p‖q) at the fit (+∞ when it overflows a double).</param>
/// <param name="Evaluations">Divergence evaluations over all starts.</param>
public sealed record AlphaGaussianFitResult(double Alpha, double Mean, double Sigma, double Divergence, int Evaluations);

/// <summary>
/// Fits a Gaussian q = N(μ, σ²) to a 1-D density p by minimising the alpha divergence D_α(p‖q)
/// (Minka 2005, Figure 1): small α seeks a mode (α = 0 is the reverse KL(q‖p), α → −∞ fits q under one
/// mode), large α covers the mass (α = 1 is the forward KL(p‖q), which matches p's mean and variance;
/// α → ∞ spreads q over all of p).
/// </summary>
/// <remarks>
/// The divergence is integrated on a <see cref="DensityGrid"/> around p (<see cref="AlphaDivergence"/>) and
/// minimised over (μ, log σ) by <see cref="NelderMead"/> from several starts — each component of p
/// (its mean and σ) and p's moment match (mean and standard deviation) — keeping the lowest divergence, so
/// the mode-seeking solutions are found as well as the covering ones. Deterministic: no random numbers.
/// </remarks>
public static class AlphaGaussianFit
{
    /// <summary>The Gaussian minimising D_α(<paramref name="p"/>‖q), on <paramref name="grid"/> (default: <see cref="DensityGrid.Around"/>).</summary>
    public static AlphaGaussianFitResult Fit(GaussianMixture1D p, double alpha, DensityGrid? grid = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be finite (use a large value such as ±50 for the limits).");
        }

        grid ??= DensityGrid.Around(p);
        double[] logP = grid.LogDensity(p);
        var logQ = new double[logP.Length];
        double Objective(double[] parameters)
        {
            double sigma = Math.Exp(parameters[1]);
            if (!double.IsFinite(sigma) || sigma < 4 * grid.Step || parameters[0] < grid.Min || parameters[0] > grid.Max)
            {
                return double.PositiveInfinity;
            }

            grid.GaussianLogDensity(parameters[0], sigma, logQ);
            return AlphaDivergence.Compute(logP, logQ, grid.Step, alpha);
        }

        var starts = p.Components.Select(c => (c.Mean, c.Sigma)).Append((p.Mean, p.StandardDeviation)).Distinct().ToArray();
        double scale = p.StandardDeviation;
        AlphaGaussianFitResult? best = null;
        int evaluations = 0;
        foreach (var (mean, sigma) in starts)
        {
            var (point, value, used) = NelderMead.Minimize(Objective, [mean, Math.Log(sigma)], [0.1 * scale, 0.1], tolerance: 1e-7, maxEvaluations: 2000);
            evaluations += used;
            if (best is null || value < best.Divergence)
            {
                best = new AlphaGaussianFitResult(alpha, point[0], Math.Exp(point[1]), value, 0);
            }
        }

        return best! with { Evaluations = evaluations };
    }

    /// <summary>One fit per α in <paramref name="alphas"/>, in order, on one grid.</summary>
    public static IReadOnlyList<AlphaGaussianFitResult> FitAll(GaussianMixture1D p, IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(alphas);
        if (alphas.Count == 0)
        {
            throw new ArgumentException("Give at least one α.", nameof(alphas));
        }

        var grid = DensityGrid.Around(p);
        return alphas.Select(a => Fit(p, a, grid)).ToArray();
    }
}
