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
    /// Fits a mixture to the items of <paramref name="data"/>: in memory, or read block by block (a memory-mapped
    /// file is never loaded whole), with bitwise the parameters, log-likelihoods and iterations of the in-memory fit.
    /// </summary>
    /// <remarks>
    /// A streamed source is read once for its means, by the k-means initialisation's passes, then once per
    /// iteration (diagonal, spherical), twice (tied: the E-step, the means; Σxxᵀ is taken once) or three times
    /// (full: the E-step, the means, the scatter); what stays in memory is the n × k responsibilities (full, tied,
    /// and the initialisation), never an n × d copy.
    /// </remarks>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer samples than components, or a covariance is not positive definite.</exception>
    public static GaussianMixtureModel Fit(IFeatureSource data, GaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Fit(GaussianMixtureRows.Blocks(data, nameof(data)), options);
    }

    /// <summary>Fits a mixture to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer samples than components, or a covariance is not positive definite.</exception>
    public static GaussianMixtureModel Fit(Tensor data, GaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        return Fit(SourceBlocks.Of(data.Buffer, n, d), options);
    }

    private static GaussianMixtureModel Fit(SourceBlocks data, GaussianMixtureOptions options)
    {
        int n = data.Rows;
        ClassicalInput.CheckCount(options.Components, "components", n, "samples", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.RegCovar, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options));

        var clock = Stopwatch.StartNew();
        // Diagonal and spherical forms run EM on the stacked rows [x², x, 1]: two GEMMs per block and iteration.
        bool stacked = options.CovarianceType is CovarianceType.Diagonal or CovarianceType.Spherical;
        GaussianMixtureRows rows = GaussianMixtureRows.Centre(data, stacked);

        var master = new Rng(options.Seed);
        (MixtureDensity Density, double LowerBound, List<double> History, bool Converged, List<GaussianMixtureStep>? Steps)? best = null;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            Rng rng = master.Split();
            float[]? responsibilities = stacked ? null : new float[n * options.Components];
            MixtureDensity density = options.Init == MixtureInit.RandomSamples
                ? FromSamples(rows, options, rng)
                : MStep(rows, Initialize(data, options, rng), options);
            var history = new List<double>();
            List<GaussianMixtureStep>? steps = options.RecordHistory ? [] : null;
            double lowerBound = double.NegativeInfinity;
            bool converged = false;
            for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
            {
                double previous = lowerBound;
                double[]? sums = null;
                lowerBound = stacked ? DiagonalMixtureEm.Step(density, rows, out sums) : EStep(density, rows.X, responsibilities!);
                history.Add(lowerBound);
                steps?.Add(new GaussianMixtureStep(iteration - 1, density, lowerBound));
                density = sums is null
                    ? MStep(rows, responsibilities!, options)
                    : DiagonalMixtureEm.Maximize(sums, n, options.Components, rows.Columns, rows.Offset, options);
                if (Math.Abs(lowerBound - previous) < options.Tolerance)
                {
                    converged = true;
                    break;
                }
            }

            if (steps is not null)
            {
                // The final parameters are the model's: one more E-step (on scratch responsibilities) gives their log-likelihood.
                steps.Add(new GaussianMixtureStep(history.Count, density, EStep(density, rows.X, new float[n * options.Components])));
            }

            if (best is null || lowerBound > best.Value.LowerBound)
            {
                best = (density, lowerBound, history, converged, steps);
            }
        }

        var (bestDensity, bound, bestHistory, bestConverged, bestSteps) = best!.Value;
        return new GaussianMixtureModel(options, bestDensity, bound, bestHistory.ToArray(), bestConverged, n, clock.Elapsed, bestSteps?.ToArray());
    }

    /// <summary>Responsibilities of the centred rows <paramref name="x"/> from the current parameters (in place); returns the mean log-likelihood.</summary>
    internal static double EStep(MixtureDensity density, SourceBlocks x, float[] responsibilities)
    {
        int k = density.Components, d = density.Features;
        var partial = new double[RowBlocks.Count(x.Rows)];
        x.ForEachRowBlock(() => (Scratch: density.CreateScratch(), Log: new double[RowBlocks.Size * k]), (block, b, start, end, state) =>
        {
            int count = end - start;
            Span<double> log = state.Log.AsSpan(0, count * k);
            density.CentredLogProbabilities(block.Rows(start, count), count, log, state.Scratch.AsSpan(count * d));
            partial[b] = MixtureDensity.NormalizeRows(log, count, k, responsibilities.AsSpan(start * k, count * k));
        });
        return partial.Sum() / x.Rows;
    }

    /// <summary>Means at k distinct random samples, every covariance the data's (x centred), equal weights.</summary>
    private static MixtureDensity FromSamples(GaussianMixtureRows rows, GaussianMixtureOptions options, Rng rng)
    {
        int k = options.Components, n = rows.Rows, d = rows.Columns;
        int[] order = rng.Permutation(n);
        var means = new double[k * d];
        var row = new float[d];
        for (int j = 0; j < k; j++)
        {
            rows.X.CopyRow(order[j], row);
            TensorPrimitives.ConvertChecked<float, double>(row, means.AsSpan(j * d, d));
        }

        double[] covariance = rows.Scatter();
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
        return new MixtureDensity(options.CovarianceType, k, d, Enumerable.Repeat(1.0 / k, k).ToArray(), means, covariances, rows.Offset);
    }

    private static float[] Initialize(SourceBlocks data, GaussianMixtureOptions options, Rng rng)
    {
        int k = options.Components, n = data.Rows;
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

    /// <summary>The maximum-likelihood parameters for the given responsibilities (of the centred rows).</summary>
    /// <remarks>Diagonal and spherical forms take their sums from the stacked rows [x², x, 1].</remarks>
    private static MixtureDensity MStep(GaussianMixtureRows rows, float[] responsibilities, GaussianMixtureOptions options)
    {
        int k = options.Components, n = rows.Rows, d = rows.Columns;
        if (options.CovarianceType is CovarianceType.Diagonal or CovarianceType.Spherical)
        {
            return DiagonalMixtureEm.Maximize(DiagonalMixtureEm.Sums(responsibilities, rows, k), n, k, d, rows.Offset, options);
        }

        double reg = options.RegCovar;

        // nⱼ gets 10·ε of float (2⁻²³) so that an empty component does not divide by zero (as scikit-learn).
        double[] counts = Moments.ColumnMeans(responsibilities, n, k);
        for (int j = 0; j < k; j++)
        {
            counts[j] = (counts[j] * n) + (10 * FloatEpsilon);
        }

        // Whole streamed blocks add the sums of one in-memory call (both count their GEMM blocks from the first row).
        var means = new double[k * d];
        rows.X.ForEach(block => Moments.AddCrossProduct(responsibilities.AsSpan(block.Start * k, block.Count * k), k, block.Values, d, block.Count, means));
        for (int j = 0; j < k; j++)
        {
            TensorPrimitives.Divide(means.AsSpan(j * d, d), counts[j], means.AsSpan(j * d, d));
        }

        double[] covariances;
        switch (options.CovarianceType)
        {
            case CovarianceType.Full:
                covariances = WeightedScatters(rows.X, responsibilities, k, means);
                for (int j = 0; j < k; j++)
                {
                    Span<double> target = covariances.AsSpan(j * d * d, d * d);
                    TensorPrimitives.Divide(target, counts[j], target);
                    AddToDiagonal(target, d, reg);
                }

                break;

            case CovarianceType.Tied:
                {
                    covariances = rows.Scatter();
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
        return new MixtureDensity(options.CovarianceType, k, d, weights, means, covariances, rows.Offset);
    }

    /// <summary>
    /// Σᵢ rᵢⱼ(xᵢ − μⱼ)(xᵢ − μⱼ)ᵀ for every component j ([k, d, d]) by float GEMM on √rᵢⱼ·(xᵢ − μⱼ) in blocks of
    /// <see cref="GaussianMixtureRows.ScatterRows"/> rows, summed in double in block order; every component in one
    /// pass over the data.
    /// </summary>
    private static double[] WeightedScatters(SourceBlocks x, float[] responsibilities, int k, double[] means)
    {
        const int Block = GaussianMixtureRows.ScatterRows;
        int d = x.Columns;
        float[] meansF = DenseMath.ToFloat(means);
        var total = new double[k * d * d];
        var rows = new float[Math.Min(Block, x.Rows) * d];
        var product = new float[d * d];
        var widened = new double[d * d];
        x.ForEach(block =>
        {
            for (int component = 0; component < k; component++)
            {
                int j = component;
                for (int start = block.Start; start < block.End; start += Block)
                {
                    int count = Math.Min(Block, block.End - start), first = start;
                    RowBlocks.ForEachRange(count, (from, to) =>
                    {
                        for (int i = from; i < to; i++)
                        {
                            Span<float> row = rows.AsSpan(i * d, d);
                            TensorPrimitives.Subtract(block.Row(first + i), meansF.AsSpan(j * d, d), row);
                            TensorPrimitives.Multiply(row, MathF.Sqrt(responsibilities[((first + i) * k) + j]), row);
                        }
                    });
                    Gemm.Multiply(GemmForm.AtB, d, d, count, 1f, rows, d, rows, d, 0f, product, d);
                    TensorPrimitives.ConvertChecked<float, double>(product, widened);
                    Span<double> target = total.AsSpan(j * d * d, d * d);
                    TensorPrimitives.Add(target, widened, target);
                }
            }
        });
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
