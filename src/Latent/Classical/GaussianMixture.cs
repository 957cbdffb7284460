using System.Diagnostics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Gaussian mixtures fitted by expectation–maximisation: makes a <see cref="GaussianMixtureModel"/>.</summary>
/// <remarks>
/// E-step: rᵢⱼ = wⱼ·N(xᵢ | μⱼ, Σⱼ) / Σₗ wₗ·N(xᵢ | μₗ, Σₗ) by log-sum-exp in double. M-step: nⱼ = Σᵢ rᵢⱼ,
/// wⱼ = nⱼ / n, μⱼ = Σᵢ rᵢⱼ·xᵢ / nⱼ, Σⱼ = Σᵢ rᵢⱼ(xᵢ − μⱼ)(xᵢ − μⱼ)ᵀ / nⱼ + reg·I (or its diagonal, its mean
/// variance, or the pooled matrix for the tied form). Stops when the mean log-likelihood
/// (1/n)·Σᵢ ln Σⱼ wⱼ·N(xᵢ | μⱼ, Σⱼ) changes by less than the tolerance.
/// </remarks>
public static class GaussianMixture
{
    private const double FloatEpsilon = 1.0 / (1 << 23);

    /// <summary>
    /// Fits a mixture to the items of <paramref name="data"/> (in memory or memory-mapped), read in order through the <see cref="Batcher"/>; a
    /// memory-mapped source is gathered into memory first (streaming fits are a later issue).
    /// </summary>
    public static GaussianMixtureModel Fit(IFeatureSource data, GaussianMixtureOptions options) => Fit(SourceMatrix.Gather(data, nameof(data)), options);

    /// <summary>Fits a mixture to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer samples than components, or a covariance is not positive definite.</exception>
    public static GaussianMixtureModel Fit(Tensor data, GaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        ClassicalInput.CheckCount(options.Components, "components", n, "samples", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.RegCovar, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options));

        var clock = Stopwatch.StartNew();
        float[] raw = data.Buffer;
        float[] offset = DenseMath.ToFloat(Moments.ColumnMeans(raw, n, d));
        float[] x = KMeans.Centre(raw, n, d, offset);
        // Diagonal and spherical forms run EM on the stacked rows [x², x, 1]: two GEMMs per block and iteration.
        float[]? stacked = options.CovarianceType is CovarianceType.Diagonal or CovarianceType.Spherical ? DiagonalMixtureEm.Stack(x, n, d) : null;

        var master = new Rng(options.Seed);
        (MixtureDensity Density, double LowerBound, List<double> History, bool Converged, List<GaussianMixtureStep>? Steps)? best = null;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            Rng rng = master.Split();
            float[]? responsibilities = stacked is null ? new float[n * options.Components] : null;
            MixtureDensity density = options.Init == MixtureInit.RandomSamples
                ? FromSamples(x, n, d, offset, options, rng)
                : MStep(x, stacked, Initialize(data, n, options, rng), n, d, offset, options);
            var history = new List<double>();
            List<GaussianMixtureStep>? steps = options.RecordHistory ? [] : null;
            double lowerBound = double.NegativeInfinity;
            bool converged = false;
            for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
            {
                double previous = lowerBound;
                double[]? sums = null;
                lowerBound = stacked is null ? EStep(density, raw, n, responsibilities!) : DiagonalMixtureEm.Step(density, stacked, n, out sums);
                history.Add(lowerBound);
                steps?.Add(new GaussianMixtureStep(iteration - 1, density, lowerBound));
                density = sums is null
                    ? MStep(x, null, responsibilities!, n, d, offset, options)
                    : DiagonalMixtureEm.Maximize(sums, n, options.Components, d, offset, options);
                if (Math.Abs(lowerBound - previous) < options.Tolerance)
                {
                    converged = true;
                    break;
                }
            }

            if (steps is not null)
            {
                // The final parameters are the model's: one more E-step (on scratch responsibilities) gives their log-likelihood.
                steps.Add(new GaussianMixtureStep(history.Count, density, EStep(density, raw, n, new float[n * options.Components])));
            }

            if (best is null || lowerBound > best.Value.LowerBound)
            {
                best = (density, lowerBound, history, converged, steps);
            }
        }

        var (bestDensity, bound, bestHistory, bestConverged, bestSteps) = best!.Value;
        return new GaussianMixtureModel(options, bestDensity, bound, bestHistory.ToArray(), bestConverged, n, clock.Elapsed, bestSteps?.ToArray());
    }

    /// <summary>Responsibilities from the current parameters (in place); returns the mean log-likelihood.</summary>
    internal static double EStep(MixtureDensity density, float[] raw, int n, float[] responsibilities)
    {
        int k = density.Components;
        var partial = new double[RowBlocks.Count(n)];
        RowBlocks.ForEach(n, () => (Scratch: density.CreateScratch(), Log: new double[RowBlocks.Size * k]), (b, start, end, state) =>
        {
            int count = end - start;
            Span<double> log = state.Log.AsSpan(0, count * k);
            density.WeightedLogProbabilities(raw, start, count, log, state.Scratch);
            partial[b] = MixtureDensity.NormalizeRows(log, count, k, responsibilities.AsSpan(start * k, count * k));
        });
        return partial.Sum() / n;
    }

    /// <summary>Means at k distinct random samples, every covariance the data's (x centred), equal weights.</summary>
    private static MixtureDensity FromSamples(float[] x, int n, int d, float[] offset, GaussianMixtureOptions options, Rng rng)
    {
        int k = options.Components;
        int[] order = rng.Permutation(n);
        var means = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            TensorPrimitives.ConvertChecked<float, double>(x.AsSpan(order[j] * d, d), means.AsSpan(j * d, d));
        }

        double[] covariance = Moments.Scatter(x, n, d, null);
        TensorPrimitives.Divide(covariance, n, covariance);
        var variances = new double[d];
        for (int c = 0; c < d; c++)
        {
            variances[c] = covariance[(c * d) + c] + options.RegCovar;
        }

        AddToDiagonal(covariance, d, options.RegCovar);
        double[] covariances = options.CovarianceType switch
        {
            CovarianceType.Full => [.. Enumerable.Range(0, k).SelectMany(_ => covariance)],
            CovarianceType.Tied => covariance,
            CovarianceType.Diagonal => [.. Enumerable.Range(0, k).SelectMany(_ => variances)],
            _ => Enumerable.Repeat(variances.Average(), k).ToArray(),
        };
        return new MixtureDensity(options.CovarianceType, k, d, Enumerable.Repeat(1.0 / k, k).ToArray(), means, covariances, offset);
    }

    private static float[] Initialize(Tensor data, int n, GaussianMixtureOptions options, Rng rng)
    {
        int k = options.Components;
        var responsibilities = new float[n * k];
        if (options.Init == MixtureInit.KMeans)
        {
            var kmeans = KMeans.Fit(data, new KMeansOptions { Clusters = k, Restarts = 1, Seed = rng.NextUInt64() });
            for (int i = 0; i < n; i++)
            {
                responsibilities[(i * k) + kmeans.Labels[i]] = 1f;
            }
        }
        else
        {
            rng.FillUniform(responsibilities);
            for (int i = 0; i < n; i++)
            {
                Span<float> row = responsibilities.AsSpan(i * k, k);
                TensorPrimitives.Divide(row, TensorPrimitives.Sum<float>(row), row);
            }
        }

        return responsibilities;
    }

    /// <summary>The maximum-likelihood parameters for the given responsibilities (x centred by <paramref name="offset"/>).</summary>
    /// <remarks>Diagonal and spherical forms take their sums from the <paramref name="stacked"/> rows [x², x, 1].</remarks>
    private static MixtureDensity MStep(float[] x, float[]? stacked, float[] responsibilities, int n, int d, float[] offset, GaussianMixtureOptions options)
    {
        int k = options.Components;
        if (stacked is not null)
        {
            return DiagonalMixtureEm.Maximize(DiagonalMixtureEm.Sums(responsibilities, stacked, n, k, d), n, k, d, offset, options);
        }

        double reg = options.RegCovar;

        // nⱼ gets 10·ε of float (2⁻²³) so that an empty component does not divide by zero (as scikit-learn).
        double[] counts = Moments.ColumnMeans(responsibilities, n, k);
        for (int j = 0; j < k; j++)
        {
            counts[j] = (counts[j] * n) + (10 * FloatEpsilon);
        }

        double[] means = Moments.CrossProduct(responsibilities, k, x, d, n);
        for (int j = 0; j < k; j++)
        {
            TensorPrimitives.Divide(means.AsSpan(j * d, d), counts[j], means.AsSpan(j * d, d));
        }

        double[] covariances;
        switch (options.CovarianceType)
        {
            case CovarianceType.Full:
                covariances = new double[k * d * d];
                for (int j = 0; j < k; j++)
                {
                    double[] scatter = WeightedScatter(x, responsibilities, n, d, k, j, means.AsSpan(j * d, d));
                    Span<double> target = covariances.AsSpan(j * d * d, d * d);
                    TensorPrimitives.Divide(scatter, counts[j], target);
                    AddToDiagonal(target, d, reg);
                }

                break;

            case CovarianceType.Tied:
                {
                    covariances = Moments.Scatter(x, n, d, null);
                    double total = counts.Sum();
                    for (int j = 0; j < k; j++)
                    {
                        for (int r = 0; r < d; r++)
                        {
                            for (int c = 0; c < d; c++)
                            {
                                covariances[(r * d) + c] -= counts[j] * means[(j * d) + r] * means[(j * d) + c];
                            }
                        }
                    }

                    TensorPrimitives.Divide(covariances, total, covariances);
                    AddToDiagonal(covariances, d, reg);
                    break;
                }

            default:
                throw new InvalidOperationException($"{options.CovarianceType} takes its sums from the stacked rows.");
        }

        double[] weights = Array.ConvertAll(counts, c => c / n);
        return new MixtureDensity(options.CovarianceType, k, d, weights, means, covariances, offset);
    }

    /// <summary>Σᵢ rᵢⱼ(xᵢ − μ)(xᵢ − μ)ᵀ by blocked float GEMM on √rᵢⱼ·(xᵢ − μ), summed in double.</summary>
    private static double[] WeightedScatter(float[] x, float[] responsibilities, int n, int d, int k, int component, ReadOnlySpan<double> mean)
    {
        const int Block = 4096;
        float[] meanF = DenseMath.ToFloat(mean);
        var total = new double[d * d];
        var rows = new float[Math.Min(Block, n) * d];
        var product = new float[d * d];
        var widened = new double[d * d];
        for (int start = 0; start < n; start += Block)
        {
            int count = Math.Min(Block, n - start);
            RowBlocks.ForEachRange(count, (from, to) =>
            {
                for (int i = from; i < to; i++)
                {
                    Span<float> row = rows.AsSpan(i * d, d);
                    TensorPrimitives.Subtract(x.AsSpan((start + i) * d, d), meanF, row);
                    TensorPrimitives.Multiply(row, MathF.Sqrt(responsibilities[((start + i) * k) + component]), row);
                }
            });
            Gemm.Multiply(GemmForm.AtB, d, d, count, 1f, rows, d, rows, d, 0f, product, d);
            TensorPrimitives.ConvertChecked<float, double>(product, widened);
            TensorPrimitives.Add(total, widened, total);
        }

        return total;
    }

    private static void AddToDiagonal(Span<double> matrix, int d, double value)
    {
        for (int i = 0; i < d; i++)
        {
            matrix[(i * d) + i] += value;
        }
    }
}
