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
    /// Fits a PCA to the items of <paramref name="data"/> (in memory or memory-mapped), read in order through the <see cref="Batcher"/>; a
    /// memory-mapped source is gathered into memory first (streaming fits are a later issue).
    /// </summary>
    public static PcaModel Fit(IFeatureSource data, PcaOptions options) => Fit(SourceMatrix.Gather(data, nameof(data)), options);

    /// <summary>Fits a PCA to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has fewer than 2 samples, has no variance, or fewer samples or features than components.</exception>
    public static PcaModel Fit(Tensor data, PcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        if (n < 2)
        {
            throw new ArgumentException("PCA needs at least 2 samples.", nameof(data));
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
        float[] x = data.Buffer;
        double[] mean = Moments.ColumnMeans(x, n, d);
        double totalVariance = TensorPrimitives.Sum<double>(Moments.ColumnVariances(x, n, d, mean)) * n / (n - 1);
        if (!(totalVariance > 0))
        {
            throw new ArgumentException("The data has zero variance (every sample is the same), so it has no principal components.", nameof(data));
        }

        double[] components, variances;
        double noiseVariance;
        if (solver == PcaSolver.Randomized)
        {
            (components, variances) = FitRandomized(x, n, d, mean, options);
            noiseVariance = k < limit ? Math.Max(0, totalVariance - TensorPrimitives.Sum<double>(variances)) / (limit - k) : 0;
        }
        else
        {
            double[] all;
            (components, all) = n >= d ? FitCovariance(x, n, d, mean, k) : FitGram(x, n, d, mean, k, options.Seed);
            variances = all[..k];
            noiseVariance = k < limit ? all.AsSpan(k, limit - k).ToArray().Average() : 0;
        }

        DenseMath.FixSigns(components, k, d);
        return new PcaModel(options with { Solver = solver }, n, mean, components, variances, totalVariance, noiseVariance, clock.Elapsed);
    }

    /// <summary>Eigendecomposition of the d × d covariance; returns k components and all d variances.</summary>
    private static (double[] Components, double[] Variances) FitCovariance(float[] x, int n, int d, double[] mean, int k)
    {
        double[] scatter = Moments.Scatter(x, n, d, mean);
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
    private static (double[] Components, double[] Variances) FitGram(float[] x, int n, int d, double[] mean, int k, ulong seed)
    {
        // The transposed centred data [d, n]: the scatter of its rows is X·Xᵀ.
        var transposed = new float[d * n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < d; c++)
            {
                transposed[(c * n) + r] = (float)(x[(r * d) + c] - mean[c]);
            }
        }

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
    private static (double[] Components, double[] Variances) FitRandomized(float[] x, int n, int d, double[] mean, PcaOptions options)
    {
        int k = options.Components, limit = Math.Min(n, d);
        int l = Math.Min(k + options.Oversamples, limit);
        int iterations = options.PowerIterations ?? (k < 0.1 * limit ? 7 : 4);

        // The passes over the data cost 2·n·d·l flops each, 2·iterations + 1 of them; with few features the
        // covariance costs less (n·d² as a symmetric rank-k update, once), and subspace iteration on it is the same
        // method: Q ← orth(Q·XᵀX) from a Gaussian start, then Rayleigh–Ritz on Q·XᵀX·Qᵀ, which is ZᵀZ.
        if (n >= d && d < ((4 * iterations) + 2) * l)
        {
            double[] scatter = Moments.Scatter(x, n, d, mean);
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
        var z = new float[n * l];
        var y = new float[l * d];
        var zSums = new double[l];
        for (int it = 0; it < iterations; it++)
        {
            Project(x, n, d, mean, q, l, z);

            // Y = Zᵀ·(X − 1·μᵀ) = Zᵀ·X − (Zᵀ·1)·μᵀ.
            Gemm.Multiply(GemmForm.AtB, l, d, n, 1f, z, l, x, d, 0f, y, d);
            ColumnSums(z, n, l, zSums);
            for (int i = 0; i < l; i++)
            {
                for (int c = 0; c < d; c++)
                {
                    q[(i * d) + c] = y[(i * d) + c] - (zSums[i] * mean[c]);
                }
            }

            DenseMath.Orthonormalize(q, l, d, rng);
        }

        Project(x, n, d, mean, q, l, z);
        double[] h = Moments.CrossProduct(z, l, z, l, n);
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

    /// <summary>Z [n, l] = (X − 1·μᵀ)·Qᵀ, by one GEMM whose bias row is −Q·μ.</summary>
    private static void Project(float[] x, int n, int d, double[] mean, double[] q, int l, float[] z)
    {
        float[] qf = DenseMath.ToFloat(q);
        var bias = new float[l];
        for (int i = 0; i < l; i++)
        {
            bias[i] = -(float)TensorPrimitives.Dot<double>(q.AsSpan(i * d, d), mean);
        }

        Gemm.Multiply(GemmForm.ABt, n, l, d, 1f, x, d, qf, d, 0f, z, l, new GemmEpilogue(bias));
    }

    private static void ColumnSums(float[] z, int n, int l, double[] sums)
    {
        Array.Clear(sums);
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < l; i++)
            {
                sums[i] += z[(r * l) + i];
            }
        }
    }
}
