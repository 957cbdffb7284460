using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// EM for diagonal and spherical mixtures on stacked rows sᵢ = [xᵢ², xᵢ, 1] (x offset by the training mean):
/// per block of rows, the E-step's log densities are one GEMM (<see cref="MixtureDensity.DiagonalLogProbabilities"/>)
/// and the M-step's sums Σᵢ rᵢⱼ·sᵢ = [Σ rx², Σ rx, nⱼ] one more (Rᵀ·S), taken while the block is in cache.
/// </summary>
/// <remarks>
/// Each block's k × (2d + 1) float sums are widened to double and reduced in block order, so the result does
/// not depend on the number of threads, and float rounding grows with the block length, not with n.
/// </remarks>
internal static class DiagonalMixtureEm
{
    private const double FloatEpsilon = 1.0 / (1 << 23);

    /// <summary>The stacked rows [x², x, 1] of the offset data x ([n, 2d + 1]).</summary>
    public static float[] Stack(float[] x, int n, int d)
    {
        var stacked = new float[n * Stride(d)];
        Stack(x, 0, n, d, stacked);
        return stacked;
    }

    /// <summary>Writes the stacked rows [x², x, 1] of the <paramref name="n"/> offset rows from float <paramref name="start"/> of <paramref name="x"/> to <paramref name="stacked"/>.</summary>
    public static void Stack(float[] x, int start, int n, int d, float[] stacked)
    {
        int stride = Stride(d);
        RowBlocks.ForEachRange(n, (first, end) =>
        {
            for (int i = first; i < end; i++)
            {
                ReadOnlySpan<float> row = x.AsSpan(start + (i * d), d);
                Span<float> target = stacked.AsSpan(i * stride, stride);
                TensorPrimitives.Multiply(row, row, target[..d]);
                row.CopyTo(target.Slice(d, d));
                target[2 * d] = 1f;
            }
        });
    }

    /// <summary>The length of a stacked row.</summary>
    public static int Stride(int d) => (2 * d) + 1;

    /// <summary>
    /// One E-step and the M-step's sums: the responsibilities of every row under <paramref name="density"/> and
    /// Σᵢ rᵢⱼ·sᵢ ([k, 2d + 1], double) into <paramref name="sums"/>; returns the mean log-likelihood.
    /// </summary>
    public static double Step(MixtureDensity density, GaussianMixtureRows rows, out double[] sums)
    {
        int n = rows.Rows, k = density.Components, stride = Stride(density.Features);
        int blocks = RowBlocks.Count(n);
        var logLikelihoods = new double[blocks];
        var partial = new double[blocks][];
        rows.ForEachStacked(
            () => (Log: new double[RowBlocks.Size * k], Terms: new float[RowBlocks.Size * k], Responsibilities: new float[RowBlocks.Size * k], Product: new float[k * stride]),
            (stacked, b, start, count, state) =>
            {
                ReadOnlySpan<float> block = stacked.AsSpan(start * stride, count * stride);
                Span<double> log = state.Log.AsSpan(0, count * k);
                Span<float> responsibilities = state.Responsibilities.AsSpan(0, count * k);
                density.DiagonalLogProbabilities(block, stride, count, log, state.Terms);
                logLikelihoods[b] = MixtureDensity.NormalizeRows(log, count, k, responsibilities);
                partial[b] = BlockSums(responsibilities, block, count, k, stride, state.Product);
            });
        sums = Reduce(partial, k * stride);
        return logLikelihoods.Sum() / n;
    }

    /// <summary>Σᵢ rᵢⱼ·sᵢ ([k, 2d + 1], double) for given responsibilities ([n, k]).</summary>
    public static double[] Sums(float[] responsibilities, GaussianMixtureRows rows, int k)
    {
        int stride = Stride(rows.Columns);
        var partial = new double[RowBlocks.Count(rows.Rows)][];
        rows.ForEachStacked(() => new float[k * stride], (stacked, b, start, count, product) =>
        {
            int first = (b * RowBlocks.Size) * k;
            partial[b] = BlockSums(responsibilities.AsSpan(first, count * k), stacked.AsSpan(start * stride, count * stride), count, k, stride, product);
        });
        return Reduce(partial, k * stride);
    }

    /// <summary>
    /// The maximum-likelihood parameters from the sums: nⱼ (plus 10·ε of float, so that an empty component does
    /// not divide by zero, as scikit-learn), wⱼ = nⱼ/n, μⱼ = Σ rx / nⱼ, σ²ⱼ = Σ rx² / nⱼ − μⱼ² + reg (averaged over
    /// the features for the spherical form).
    /// </summary>
    public static MixtureDensity Maximize(double[] sums, int n, int k, int d, float[] offset, GaussianMixtureOptions options)
    {
        int stride = Stride(d);
        var counts = new double[k];
        var means = new double[k * d];
        var diagonal = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<double> row = sums.AsSpan(j * stride, stride);
            counts[j] = row[2 * d] + (10 * FloatEpsilon);
            for (int c = 0; c < d; c++)
            {
                double mu = row[d + c] / counts[j];
                means[(j * d) + c] = mu;
                // E[x²] − μ² can round below zero for a (nearly) constant feature; a variance is never negative.
                diagonal[(j * d) + c] = Math.Max((row[c] / counts[j]) - (mu * mu), 0) + options.RegCovar;
            }
        }

        double[] covariances = options.CovarianceType == CovarianceType.Diagonal
            ? diagonal
            : Enumerable.Range(0, k).Select(j => diagonal.AsSpan(j * d, d).ToArray().Average()).ToArray();
        double[] weights = Array.ConvertAll(counts, c => c / n);
        return new MixtureDensity(options.CovarianceType, k, d, weights, means, covariances, offset);
    }

    /// <summary>Rᵀ·S for one block, in float on the calling thread, widened to double.</summary>
    private static double[] BlockSums(ReadOnlySpan<float> responsibilities, ReadOnlySpan<float> rows, int count, int k, int stride, float[] product)
    {
        Gemm.MultiplyOnCallingThread(GemmForm.AtB, k, stride, count, 1f, responsibilities, k, rows, stride, 0f, product, stride);
        var widened = new double[k * stride];
        TensorPrimitives.ConvertChecked<float, double>(product, widened);
        return widened;
    }

    private static double[] Reduce(double[][] partial, int length)
    {
        var total = new double[length];
        foreach (double[] block in partial)
        {
            TensorPrimitives.Add(total, block, total);
        }

        return total;
    }
}
