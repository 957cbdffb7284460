namespace Latent.Evaluation;

/// <summary>
/// Amari's alpha divergence between two 1-D densities given by their log-densities on a
/// <see cref="DensityGrid"/>, in Minka's (2005) form for positive measures:
/// D_α(p‖q) = ∫ [αp + (1 − α)q − p^α q^(1−α)] / (α(1 − α)) dx.
/// </summary>
/// <remarks>
/// The integrand is non-negative pointwise (weighted AM–GM), so D_α ≥ 0, with equality only for q = p.
/// α → 1 gives the forward KL(p‖q) = ∫ p log(p/q) + q − p, α → 0 the reverse KL(q‖p); both limits are
/// computed by their own formulas (for |α| or |1 − α| below 1e-6). The term ∫p^α q^(1−α) is summed in log
/// space (log-sum-exp of α log p + (1 − α) log q) and the numerator formed with expm1, so large |α| (±50)
/// neither overflows early nor loses the small differences near the optimum; a divergence too large for a
/// double is +∞.
/// </remarks>
public static class AlphaDivergence
{
    private const double LimitTolerance = 1e-6;

    /// <summary>D_α(p‖q) from log p and log q at the grid's points (spacing <paramref name="step"/>).</summary>
    public static double Compute(ReadOnlySpan<double> logP, ReadOnlySpan<double> logQ, double step, double alpha)
    {
        Check(logP, logQ, step);
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be finite (use a large value such as ±50 for the limits).");
        }

        if (Math.Abs(alpha) < LimitTolerance)
        {
            return KullbackLeibler(logQ, logP, step);
        }

        if (Math.Abs(1 - alpha) < LimitTolerance)
        {
            return KullbackLeibler(logP, logQ, step);
        }

        double massP = 0, massQ = 0, max = double.NegativeInfinity;
        for (int i = 0; i < logP.Length; i++)
        {
            massP += Math.Exp(logP[i]);
            massQ += Math.Exp(logQ[i]);
            max = Math.Max(max, (alpha * logP[i]) + ((1 - alpha) * logQ[i]));
        }

        double sum = 0;
        for (int i = 0; i < logP.Length; i++)
        {
            sum += Math.Exp((alpha * logP[i]) + ((1 - alpha) * logQ[i]) - max);
        }

        // log ∫ p^α q^(1−α) = L; numerator = α(P − 1) + (1 − α)(Q − 1) − (e^L − 1).
        double logMixed = max + Math.Log(sum * step);
        double numerator = (alpha * ((massP * step) - 1)) + ((1 - alpha) * ((massQ * step) - 1)) - double.ExpM1(logMixed);
        double value = numerator / (alpha * (1 - alpha));
        return double.IsNaN(value) ? double.PositiveInfinity : Math.Max(value, 0);
    }

    /// <summary>
    /// The extended Kullback–Leibler divergence KL(a‖b) = ∫ a log(a/b) + b − a from log a and log b on the grid
    /// (the ordinary KL for normalised densities).
    /// </summary>
    public static double KullbackLeibler(ReadOnlySpan<double> logA, ReadOnlySpan<double> logB, double step)
    {
        Check(logA, logB, step);
        double sum = 0;
        for (int i = 0; i < logA.Length; i++)
        {
            double a = Math.Exp(logA[i]), b = Math.Exp(logB[i]);
            sum += (a * (logA[i] - logB[i])) + b - a;
        }

        return Math.Max(sum * step, 0);
    }

    /// <summary>D_α(<paramref name="p"/>‖<paramref name="q"/>) between two mixtures on <paramref name="grid"/>.</summary>
    public static double Compute(GaussianMixture1D p, GaussianMixture1D q, double alpha, DensityGrid? grid = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        grid ??= DensityGrid.Around(p);
        return Compute(grid.LogDensity(p), grid.LogDensity(q), grid.Step, alpha);
    }

    private static void Check(ReadOnlySpan<double> logP, ReadOnlySpan<double> logQ, double step)
    {
        if (logP.Length != logQ.Length || logP.Length == 0)
        {
            throw new ArgumentException($"log p has {logP.Length} values and log q {logQ.Length}; they must match and not be empty.", nameof(logQ));
        }

        if (!(step > 0) || !double.IsFinite(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The grid spacing must be positive and finite.");
        }
    }
}
