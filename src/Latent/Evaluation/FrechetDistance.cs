using Latent.Classical;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to two sets of feature vectors:
/// ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}) (Dowson and Landau 1982; the FID of Heusel et al. 2017 in the
/// features of Inception-v3).
/// </summary>
/// <remarks>
/// Σ₁Σ₂ is not symmetric, and the matrix square root of it (scipy's <c>sqrtm</c> in the usual FID code) can turn
/// complex through round-off. Its eigenvalues are those of the symmetric positive semi-definite
/// Σ₁^{1/2} Σ₂ Σ₁^{1/2} (similar matrices), so tr (Σ₁Σ₂)^{1/2} = Σᵢ √λᵢ with λᵢ the eigenvalues of that
/// symmetric matrix: two symmetric eigendecompositions (<see cref="DenseMath.SymmetricEigen(double[], int)"/>),
/// with round-off negatives clipped to 0. Moments are accumulated in double.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>The distance between Gaussians fitted (mean and covariance with divisor n − 1) to the rows of <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The column counts differ, or a set has fewer than 2 rows.</exception>
    public static double Between(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2 || a.Columns != b.Columns)
        {
            throw new ArgumentException($"Feature sets [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] must be matrices with the same number of columns.", nameof(b));
        }

        (var meanA, var covarianceA) = Moments(a);
        (var meanB, var covarianceB) = Moments(b);
        return FromMoments(meanA, covarianceA, meanB, covarianceB);
    }

    /// <summary>The mean and the covariance (row-major [d, d], divisor n − 1) of the rows of <paramref name="rows"/>, in double.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows.</exception>
    public static (double[] Mean, double[] Covariance) Moments(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Rank != 2 || rows.Rows < 2)
        {
            throw new ArgumentException($"A covariance needs a matrix of at least 2 rows (got [{string.Join(", ", rows.Shape)}]).", nameof(rows));
        }

        int n = rows.Rows, d = rows.Columns;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = rows.Row(i);
            for (int c = 0; c < d; c++)
            {
                mean[c] += row[c];
            }
        }

        for (int c = 0; c < d; c++)
        {
            mean[c] /= n;
        }

        var centred = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            var row = rows.Row(i);
            for (int c = 0; c < d; c++)
            {
                centred[(i * d) + c] = row[c] - mean[c];
            }
        }

        // Xᵀ X through the GEMM of DenseMath on the transposed (d × n) centred rows.
        double[] transposed = DenseMath.Transpose(centred, n, d);
        double[] covariance = DenseMath.MultiplyTransposed(transposed, d, n, transposed, d);
        for (int k = 0; k < covariance.Length; k++)
        {
            covariance[k] /= n - 1;
        }

        return (mean, covariance);
    }

    /// <summary>The distance between N(<paramref name="mean1"/>, <paramref name="covariance1"/>) and N(<paramref name="mean2"/>, <paramref name="covariance2"/>) (covariances row-major, symmetric positive semi-definite).</summary>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static double FromMoments(double[] mean1, double[] covariance1, double[] mean2, double[] covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance2);
        int d = mean1.Length;
        if (mean2.Length != d || covariance1.Length != d * d || covariance2.Length != d * d || d == 0)
        {
            throw new ArgumentException($"Means of {mean1.Length} and {mean2.Length} values need covariances of {mean1.Length}² values (got {covariance1.Length} and {covariance2.Length}).", nameof(covariance2));
        }

        double meanTerm = 0, trace = 0;
        for (int c = 0; c < d; c++)
        {
            double diff = mean1[c] - mean2[c];
            meanTerm += diff * diff;
            trace += covariance1[(c * d) + c] + covariance2[(c * d) + c];
        }

        double[] root = SquareRoot(Symmetrised(covariance1, d), d);
        double[] product = DenseMath.MultiplyTransposed(DenseMath.MultiplyTransposed(root, d, d, covariance2, d), d, d, root, d);
        double traceRoot = 0;
        foreach (double value in DenseMath.SymmetricEigen(Symmetrised(product, d), d, 0).Values)
        {
            traceRoot += Math.Sqrt(Math.Max(0, value));
        }

        // Round-off can push an exact 0 (equal sets) a hair below zero.
        return Math.Max(0, meanTerm + trace - (2 * traceRoot));
    }

    // The symmetric square root V √Λ Vᵀ of a symmetric positive semi-definite matrix (negatives from round-off clipped to 0).
    private static double[] SquareRoot(double[] a, int d)
    {
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(a, d);
        var scaled = new double[d * d];
        for (int k = 0; k < d; k++)
        {
            double s = Math.Sqrt(Math.Sqrt(Math.Max(0, values[k])));
            for (int c = 0; c < d; c++)
            {
                scaled[(k * d) + c] = vectors[(k * d) + c] * s;
            }
        }

        // Rows of `scaled` are Λ^{1/4}-scaled eigenvectors: (scaled)ᵀ(scaled) = V √Λ Vᵀ.
        double[] transposed = DenseMath.Transpose(scaled, d, d);
        return DenseMath.MultiplyTransposed(transposed, d, d, transposed, d);
    }

    private static double[] Symmetrised(double[] a, int d)
    {
        var result = new double[d * d];
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                result[(r * d) + c] = 0.5 * (a[(r * d) + c] + a[(c * d) + r]);
            }
        }

        return result;
    }
}
