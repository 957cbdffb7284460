using System.Diagnostics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Principal component analysis: fits a <see cref="PcaModel"/> to data.</summary>
/// <remarks>
/// With the centred data X (n × d), the components are the leading eigenvectors vᵢ of the covariance
/// S = XᵀX / (n − 1) and the explained variances its eigenvalues λᵢ (equivalently the right singular vectors
/// of X, with λᵢ = σᵢ² / (n − 1)). Each component's sign makes its entry of largest magnitude positive.
/// </remarks>
public static class Pca
{
    /// <summary>
    /// Fits a PCA to the items of <paramref name="data"/>: in memory, or streamed a few MB at a time (a
    /// memory-mapped file is never loaded whole; the result is the in-memory one, see the remarks).
    /// </summary>
    /// <remarks>
    /// The full solver (with at least as many samples as features) and the randomised one with few features
    /// accumulate the covariance block by block, bitwise as in memory; the randomised solver's other passes
    /// (X·Qᵀ, then Zᵀ·X) run block by block too, and sum Zᵀ·X per block, which rounds differently from the one
    /// product in memory (relative differences of order 1e-7 in the components). The Gram solver (fewer
    /// samples than features) holds the centred data, transposed, in memory.
    /// </remarks>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer than 2 samples, has no variance, or fewer samples or features than components.</exception>
    public static PcaModel Fit(IFeatureSource data, PcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Fit(ClassicalInput.CheckSource(data, nameof(data)), options);
    }

    /// <summary>Fits a PCA to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer than 2 samples, has no variance, or fewer samples or features than components.</exception>
    public static PcaModel Fit(Tensor data, PcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        return Fit(SourceBlocks.Of(data.Buffer, n, d), options);
    }

    private static PcaModel Fit(SourceBlocks x, PcaOptions options)
    {
        int n = x.Rows, d = x.Columns;
        if (n < 2)
        {
            throw new ArgumentException("PCA needs at least 2 samples.", "data");
        }

        int limit = Math.Min(n, d);
        ClassicalInput.CheckCount(options.Components, "components", limit, n < d ? "samples" : "features", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Oversamples, nameof(options));
        if (options.PowerIterations is int iterations)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(iterations, nameof(options));
        }

        int k = options.Components;
        PcaSolver solver = options.Solver;
        if (solver == PcaSolver.Auto)
        {
            solver = Math.Max(n, d) <= 500 || k >= 0.8 * limit ? PcaSolver.Full : PcaSolver.Randomized;
        }

        var clock = Stopwatch.StartNew();
        double[] mean = Moments.ColumnMeans(x);
        double totalVariance = TensorPrimitives.Sum<double>(Moments.ColumnVariances(x, mean)) * n / (n - 1);
        if (!(totalVariance > 0))
        {
            throw new ArgumentException("The data has zero variance (every sample is the same), so it has no principal components.", "data");
        }

        double[] components, variances;
        double noiseVariance;
        if (solver == PcaSolver.Randomized)
        {
            (components, variances) = FitRandomized(x, mean, options);
            noiseVariance = k < limit ? Math.Max(0, totalVariance - TensorPrimitives.Sum<double>(variances)) / (limit - k) : 0;
        }
        else
        {
            double[] all;
            (components, all) = n >= d ? FitCovariance(x, mean, k) : FitGram(x, mean, k, options.Seed);
            variances = all[..k];
            noiseVariance = k < limit ? all.AsSpan(k, limit - k).ToArray().Average() : 0;
        }

        DenseMath.FixSigns(components, k, d);
        return new PcaModel(options with { Solver = solver }, n, mean, components, variances, totalVariance, noiseVariance, clock.Elapsed);
    }

    /// <summary>Eigendecomposition of the d × d covariance; returns k components and all d variances.</summary>
    private static (double[] Components, double[] Variances) FitCovariance(SourceBlocks x, double[] mean, int k)
    {
        int n = x.Rows, d = x.Columns;
        double[] scatter = Moments.Scatter(x, mean);
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(scatter, d, k);
        for (int i = 0; i < d; i++)
        {
            values[i] = Math.Max(0, values[i]) / (n - 1);
        }

        return (vectors, values);
    }

    /// <summary>
    /// The SVD of the centred data X = U·Σ·Vᵀ through the n × n Gram matrix X·Xᵀ = U·Σ²·Uᵀ (n &lt; d), with
    /// vᵢ = Xᵀuᵢ / σᵢ; returns k components and all n variances.
    /// </summary>
    private static (double[] Components, double[] Variances) FitGram(SourceBlocks x, double[] mean, int k, ulong seed)
    {
        // The transposed centred data [d, n]: the scatter of its rows is X·Xᵀ.
        int n = x.Rows, d = x.Columns;
        var transposed = new float[d * n];
        x.ForEach(block =>
        {
            for (int r = block.Start; r < block.End; r++)
            {
                Span<float> row = block.Row(r);
                for (int c = 0; c < d; c++)
                {
                    transposed[(c * n) + r] = (float)(row[c] - mean[c]);
                }
            }
        });

        double[] gram = Moments.Scatter(transposed, d, n, null);
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(gram, n, k);
        var components = new double[k * d];
        var row = new double[n];
        for (int c = 0; c < d; c++)
        {
            TensorPrimitives.ConvertChecked<float, double>(transposed.AsSpan(c * n, n), row);
            for (int i = 0; i < k; i++)
            {
                components[(i * d) + c] = TensorPrimitives.Dot<double>(row, vectors.AsSpan(i * n, n));
            }
        }

        // Normalising (σᵢ = ‖Xᵀuᵢ‖) also replaces the direction of a zero singular value by an orthogonal one.
        DenseMath.Orthonormalize(components, k, d, new Rng(seed));
        for (int i = 0; i < n; i++)
        {
            values[i] = Math.Max(0, values[i]) / (n - 1);
        }

        return (components, values);
    }

    /// <summary>
    /// Subspace iteration on the right singular subspace: Q ← orth(XᵀX·Q) from a Gaussian start, then
    /// Rayleigh–Ritz on Z = X·Q (the eigenvectors of ZᵀZ rotate Q onto the components).
    /// </summary>
    private static (double[] Components, double[] Variances) FitRandomized(SourceBlocks x, double[] mean, PcaOptions options)
    {
        int n = x.Rows, d = x.Columns;
        int k = options.Components, limit = Math.Min(n, d);
        int l = Math.Min(k + options.Oversamples, limit);
        int iterations = options.PowerIterations ?? (k < 0.1 * limit ? 7 : 4);

        // The passes over the data cost 2·n·d·l flops each, 2·iterations + 1 of them; with few features the
        // covariance costs less (n·d² as a symmetric rank-k update, once), and subspace iteration on it is the same
        // method: Q ← orth(Q·XᵀX) from a Gaussian start, then Rayleigh–Ritz on Q·XᵀX·Qᵀ, which is ZᵀZ.
        if (n >= d && d < ((4 * iterations) + 2) * l)
        {
            double[] scatter = Moments.Scatter(x, mean);
            (double[] top, double[] leading) = new SubspaceEigen(d, k, options.Seed, l - k, firstSteps: iterations).Top(scatter, iterations);
            return (leading, top.Select(v => Math.Max(0, v) / (n - 1)).ToArray());
        }

        var rng = new Rng(options.Seed);
        var q = new double[l * d];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = rng.NextGaussian();
        }

        DenseMath.Orthonormalize(q, l, d, rng);
        var z = new float[Math.Min(x.BlockRows, n) * l];
        var y = new float[l * d];
        var total = new double[l * d];
        var zSums = new double[l];
        for (int it = 0; it < iterations; it++)
        {
            // Y = Zᵀ·(X − 1·μᵀ) = Zᵀ·X − (Zᵀ·1)·μᵀ, summed over the blocks.
            Array.Clear(total);
            Array.Clear(zSums);
            var projection = new Projection(q, l, mean);
            x.ForEach(block =>
            {
                projection.Apply(block, z);
                Gemm.Multiply(GemmForm.AtB, l, d, block.Count, 1f, z, l, block.Values, d, 0f, y, d);
                AddWidened(y, total);
                AddColumnSums(z, block.Count, l, zSums);
            });
            for (int i = 0; i < l; i++)
            {
                for (int c = 0; c < d; c++)
                {
                    q[(i * d) + c] = total[(i * d) + c] - (zSums[i] * mean[c]);
                }
            }

            DenseMath.Orthonormalize(q, l, d, rng);
        }

        var h = new double[l * l];
        var last = new Projection(q, l, mean);
        x.ForEach(block =>
        {
            last.Apply(block, z);
            Moments.AddCrossProduct(z, l, z, l, block.Count, h);
        });
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(h, l);
        var components = new double[k * d];
        var variances = new double[k];
        for (int i = 0; i < k; i++)
        {
            variances[i] = Math.Max(0, values[i]) / (n - 1);
            Span<double> component = components.AsSpan(i * d, d);
            for (int j = 0; j < l; j++)
            {
                TensorPrimitives.MultiplyAdd(q.AsSpan(j * d, d), vectors[(i * l) + j], component, component);
            }
        }

        return (components, variances);
    }

    private static void AddWidened(float[] values, double[] total)
    {
        for (int i = 0; i < values.Length; i++)
        {
            total[i] += values[i];
        }
    }

    private static void AddColumnSums(float[] z, int n, int l, double[] sums)
    {
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < l; i++)
            {
                sums[i] += z[(r * l) + i];
            }
        }
    }

    /// <summary>Z = (X − 1·μᵀ)·Qᵀ for a block of rows, by one GEMM whose bias row is −Q·μ.</summary>
    private sealed class Projection(double[] q, int l, double[] mean)
    {
        private readonly float[] _q = DenseMath.ToFloat(q);
        private readonly float[] _bias = Enumerable.Range(0, l).Select(i => -(float)TensorPrimitives.Dot<double>(q.AsSpan(i * mean.Length, mean.Length), mean)).ToArray();

        /// <summary>Writes the block's projections into the first rows of <paramref name="z"/> [rows, l].</summary>
        public void Apply(RowBlock block, float[] z)
        {
            int d = block.Columns;
            Gemm.Multiply(GemmForm.ABt, block.Count, l, d, 1f, block.Values, d, _q, d, 0f, z.AsSpan(0, block.Count * l), l, new GemmEpilogue(_bias));
        }
    }
}
