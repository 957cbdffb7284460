using System.Diagnostics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Probabilistic PCA (Tipping and Bishop, 1999): fits a <see cref="ProbabilisticPcaModel"/> to data.</summary>
/// <remarks>
/// The model is x = μ + Wᵀz + ε with z ~ N(0, I_k) and ε ~ N(0, σ²I). With S the covariance (divisor n) the
/// maximum-likelihood solution is W = (Λ_k − σ²I)^½·U_kᵀ, σ² = Σ_{i&gt;k} λᵢ / (d − k). EM iterates, with
/// M = WWᵀ + σ²I: W′ᵀ = S·Wᵀ·(σ²I + M⁻¹·W·S·Wᵀ)⁻¹ and σ′² = tr(S − S·Wᵀ·M⁻¹·W′)/d. The EM loadings are
/// rotated onto their principal axes at the end, so both solvers give the same W up to sign.
/// </remarks>
public static class ProbabilisticPca
{
    /// <summary>
    /// Fits probabilistic PCA to the items of <paramref name="data"/>: in memory, or streamed a few MB at a time (a memory-mapped
    /// file is never loaded whole); the mean and covariance are summed block by block, bitwise as in memory.
    /// </summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has k ≥ d, or lies in a k-dimensional subspace (zero noise variance).</exception>
    public static ProbabilisticPcaModel Fit(IFeatureSource data, ProbabilisticPcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Fit(ClassicalInput.CheckSource(data, nameof(data)), options);
    }

    /// <summary>Fits probabilistic PCA to the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, has k ≥ d, or lies in a k-dimensional subspace (zero noise variance).</exception>
    public static ProbabilisticPcaModel Fit(Tensor data, ProbabilisticPcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        return Fit(SourceBlocks.Of(data.Buffer, n, d), options);
    }

    private static ProbabilisticPcaModel Fit(SourceBlocks x, ProbabilisticPcaOptions options)
    {
        int n = x.Rows, d = x.Columns;
        ClassicalInput.CheckCount(options.Components, "components", d - 1, "features less one (probabilistic PCA needs k < d)", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        int k = options.Components;
        var clock = Stopwatch.StartNew();
        double[] mean = Moments.ColumnMeans(x);
        double[] s = Moments.Scatter(x, mean);
        TensorPrimitives.Multiply(s, 1.0 / n, s);
        double total = 0;
        for (int c = 0; c < d; c++)
        {
            total += s[(c * d) + c];
        }

        var history = new List<double>();
        var angles = new List<double>();
        LinearGaussian model = options.Solver == PpcaSolver.ClosedForm
            ? ClosedForm(s, d, k, mean, total)
            : Em(s, d, k, mean, total, options, history, angles);
        double logLikelihood = model.MeanLogLikelihood(s);
        return new ProbabilisticPcaModel(options, model, logLikelihood, history.ToArray(), n, clock.Elapsed, angles.ToArray());
    }

    private static LinearGaussian ClosedForm(double[] s, int d, int k, double[] mean, double total)
    {
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(s, d, k);
        double noise = values.AsSpan(k).ToArray().Average();
        CheckNoise(noise, total, k);
        var loadings = new double[k * d];
        for (int i = 0; i < k; i++)
        {
            double scale = Math.Sqrt(Math.Max(values[i] - noise, 0));
            for (int c = 0; c < d; c++)
            {
                loadings[(i * d) + c] = scale * vectors[(i * d) + c];
            }
        }

        DenseMath.FixSigns(loadings, k, d);
        return new LinearGaussian(mean, loadings, Enumerable.Repeat(noise, d).ToArray());
    }

    private static LinearGaussian Em(double[] s, int d, int k, double[] mean, double total, ProbabilisticPcaOptions options, List<double> history, List<double> angles)
    {
        // The top-k eigenvectors of S (rows), the subspace EM's loadings converge to, when the angle is recorded.
        double[]? principal = options.PcaAngle ? DenseMath.SymmetricEigen(s, d, k).Vectors : null;
        var rng = new Rng(options.Seed);
        double noise = total / d;
        var w = new double[k * d];
        double scale = Math.Sqrt(noise);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = scale * rng.NextGaussian();
        }

        double previous = double.NegativeInfinity;
        for (int iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            // SW = S·Wᵀ stored transposed as [k, d] (S is symmetric); M = W·Wᵀ + σ²I.
            double[] sw = DenseMath.MultiplyTransposed(w, k, d, s, d);
            double[] m = DenseMath.MultiplyTransposed(w, k, d, w, k);
            AddToDiagonal(m, k, noise);
            double[] mInverse = Inverse(m, k);

            // inner = σ²I + M⁻¹·(W·S·Wᵀ); W′ = inner⁻ᵀ·SWᵀ as [k, d].
            double[] wsw = DenseMath.MultiplyTransposed(w, k, d, sw, k);
            double[] inner = Product(mInverse, k, k, wsw, k);
            AddToDiagonal(inner, k, noise);
            double[] next = Product(DenseMath.Transpose(GeneralInverse(inner, k), k, k), k, k, sw, d);

            // σ′² = (tr S − tr(SW·M⁻¹·W′))/d, with tr(SW·M⁻¹·W′) = Σ (M⁻¹·W′) ∘ SWᵀ.
            double[] mw = Product(mInverse, k, k, next, d);
            noise = (total - TensorPrimitives.Dot<double>(mw, sw)) / d;
            CheckNoise(noise, total, k);
            w = next;
            double logLikelihood = new LinearGaussian(mean, w, Enumerable.Repeat(noise, d).ToArray()).MeanLogLikelihood(s);
            history.Add(logLikelihood);
            if (principal is not null)
            {
                angles.Add(PrincipalAngles.LargestDegrees(w, k, principal, k, d));
            }

            if (Math.Abs(logLikelihood - previous) < options.Tolerance)
            {
                break;
            }

            previous = logLikelihood;
        }

        // Rotate onto the principal axes: W = R·diag(√eig)·V with W·Wᵀ = R·diag(eig)·Rᵀ, then V = diag(1/√eig)·Rᵀ·W.
        double[] gram = DenseMath.MultiplyTransposed(w, k, d, w, k);
        (_, double[] rotation) = DenseMath.SymmetricEigen(gram, k);
        double[] rotated = Product(rotation, k, k, w, d);
        DenseMath.FixSigns(rotated, k, d);
        return new LinearGaussian(mean, rotated, Enumerable.Repeat(noise, d).ToArray());
    }

    private static void CheckNoise(double noise, double total, int k)
    {
        if (!(noise > 1e-12 * total))
        {
            throw new ArgumentException($"The data lies (numerically) in a subspace of {k} or fewer dimensions, so the noise variance is zero; use fewer components or plain PCA.");
        }
    }

    private static double[] Product(double[] a, int m, int k, double[] b, int n) =>
        DenseMath.MultiplyTransposed(a, m, k, DenseMath.Transpose(b, k, n), n);

    private static double[] Inverse(double[] a, int k)
    {
        double[] l = DenseMath.Cholesky(a, k) ?? throw new InvalidOperationException("A positive definite matrix lost definiteness in EM.");
        double[] li = DenseMath.InvertLower(l, k);
        return Product(DenseMath.Transpose(li, k, k), k, k, li, k);
    }

    /// <summary>The inverse of a small non-symmetric matrix, by LU.</summary>
    private static double[] GeneralInverse(double[] a, int k)
    {
        var inverse = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(k, k, a).Inverse();
        return inverse.ToRowMajorArray();
    }

    private static void AddToDiagonal(double[] a, int k, double value)
    {
        for (int i = 0; i < k; i++)
        {
            a[(i * k) + i] += value;
        }
    }
}
