using System.Diagnostics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Factor analysis, x = μ + Aᵀz + e with z ~ N(0, I_k) and e ~ N(0, D), D diagonal: fits a <see cref="FactorAnalysisModel"/>.</summary>
/// <remarks>
/// The SVD-based EM of Barber's "Bayesian Reasoning and Machine Learning" (algorithm 21.1), as scikit-learn does
/// it, here on the covariance S (divisor n): with ψ the diagonal of D, take the k leading eigenpairs (sᵢ, vᵢ) of
/// Ψ^-½·S·Ψ^-½, set A = diag(√max(sᵢ − 1, 0))·Vᵀ·Ψ^½, then ψ = max(diag(S) − Σᵢ Aᵢ², floor) with the floor
/// <see cref="FactorAnalysisOptions.NoiseFloor"/>. The log-likelihood is
/// −n/2·(d·ln 2π + k + Σ ln sᵢ + (tr(Ψ^-½SΨ^-½) − Σ sᵢ) + Σ ln ψ); EM stops when it gains less than the tolerance.
/// A feature that never varies (an image's always-black border pixel) gets no loading and the floor as its
/// noise variance, so it adds −½(ln 2π + ln floor) to the mean log-likelihood, as in scikit-learn.
/// </remarks>
public static class FactorAnalysis
{
    private const double Small = 1e-12;

    /// <summary>
    /// Fits factor analysis to the items of <paramref name="data"/>: in memory, or streamed a few MB at a time (a memory-mapped
    /// file is never loaded whole); the mean and covariance are summed block by block, bitwise as in memory.
    /// </summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has fewer features than factors.</exception>
    public static FactorAnalysisModel Fit(IFeatureSource data, FactorAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Fit(ClassicalInput.CheckSource(data, nameof(data)), options);
    }

    /// <summary>Fits factor analysis to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has fewer features than factors.</exception>
    public static FactorAnalysisModel Fit(Tensor data, FactorAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        return Fit(SourceBlocks.Of(data.Buffer, n, d), options);
    }

    private static FactorAnalysisModel Fit(SourceBlocks x, FactorAnalysisOptions options)
    {
        int n = x.Rows, d = x.Columns;
        ClassicalInput.CheckCount(options.Components, "components", d, "features", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PowerIterations, 1, nameof(options));
        if (!(options.NoiseFloor > 0) || !double.IsFinite(options.NoiseFloor))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NoiseFloor, $"The noise floor must be a positive finite variance, not {options.NoiseFloor}.");
        }

        double floor = options.NoiseFloor;
        int k = options.Components;
        var clock = Stopwatch.StartNew();
        double[] mean = Moments.ColumnMeans(x);
        double[] s = Moments.Scatter(x, mean);
        TensorPrimitives.Multiply(s, 1.0 / n, s);
        var variance = new double[d];
        for (int c = 0; c < d; c++)
        {
            // A constant feature has variance 0: its row and column of Ψ^-½·S·Ψ^-½ are 0, so it gets no loading and ψ = floor.
            variance[c] = s[(c * d) + c];
        }

        var psi = Enumerable.Repeat(1.0, d).ToArray();
        var eigen = new SubspaceEigen(d, k, options.Seed);
        var scaled = new double[d * d];
        var loadings = new double[k * d];
        var history = new List<double>();
        double constant = (d * Math.Log(2 * Math.PI)) + k;
        double previous = double.NegativeInfinity;
        bool converged = false;
        for (int iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            var root = new double[d];
            double trace = 0, logPsi = 0;
            for (int c = 0; c < d; c++)
            {
                root[c] = Math.Sqrt(psi[c]) + Small;
                logPsi += Math.Log(psi[c]);
            }

            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    scaled[(r * d) + c] = s[(r * d) + c] / (root[r] * root[c]);
                }

                trace += scaled[(r * d) + r];
            }

            (double[] values, double[] vectors) = eigen.Top(scaled, options.PowerIterations);
            double logValues = 0;
            for (int i = 0; i < k; i++)
            {
                logValues += Math.Log(values[i]);
                double scale = Math.Sqrt(Math.Max(values[i] - 1, 0));
                for (int c = 0; c < d; c++)
                {
                    loadings[(i * d) + c] = scale * vectors[(i * d) + c] * root[c];
                }
            }

            double unexplained = trace - values.Sum();
            double logLikelihood = -0.5 * n * (constant + logValues + unexplained + logPsi);
            history.Add(logLikelihood / n);
            if (logLikelihood - previous < options.Tolerance)
            {
                converged = true;
                break;
            }

            previous = logLikelihood;
            for (int c = 0; c < d; c++)
            {
                double explained = 0;
                for (int i = 0; i < k; i++)
                {
                    explained += loadings[(i * d) + c] * loadings[(i * d) + c];
                }

                psi[c] = Math.Max(variance[c] - explained, floor);
            }
        }

        DenseMath.FixSigns(loadings, k, d);
        var model = new LinearGaussian(mean, loadings, psi);
        return new FactorAnalysisModel(options, model, model.MeanLogLikelihood(s), history.ToArray(), converged, n, clock.Elapsed);
    }
}
