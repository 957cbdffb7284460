using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Latent.Classical;

/// <summary>Small dense linear algebra in double on row-major arrays, for the classical methods.</summary>
internal static class DenseMath
{
    /// <summary>
    /// Eigenvalues (descending) and eigenvectors (as the rows of a [n, n] matrix, in the same order) of the
    /// symmetric row-major matrix <paramref name="a"/>.
    /// </summary>
    public static (double[] Values, double[] Vectors) SymmetricEigen(double[] a, int n)
    {
        // The matrix is symmetric, so its row-major array is also its column-major array.
        var matrix = Matrix<double>.Build.Dense(n, n, (double[])a.Clone());
        Evd<double> evd = matrix.Evd(Symmetricity.Symmetric);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = evd.EigenValues[i].Real;
        }

        int[] order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var sorted = new double[n];
        var vectors = new double[n * n];
        Matrix<double> v = evd.EigenVectors;
        for (int r = 0; r < n; r++)
        {
            sorted[r] = values[order[r]];
            for (int c = 0; c < n; c++)
            {
                vectors[(r * n) + c] = v[c, order[r]];
            }
        }

        return (sorted, vectors);
    }

    /// <summary>
    /// All eigenvalues (descending) of the symmetric row-major matrix <paramref name="a"/> and the eigenvectors of the
    /// leading <paramref name="vectors"/> of them (as the rows of a [vectors, n] matrix, in the same order).
    /// </summary>
    /// <remarks>
    /// LAPACK's dsyevx path: Householder tridiagonalisation, the eigenvalues of the tridiagonal by implicit QL, the
    /// wanted eigenvectors of the tridiagonal by inverse iteration, and back-transformation by the reflectors, so
    /// the cost beyond the O(n³) reduction is O(n²·vectors) instead of the O(n³) of accumulating every vector.
    /// </remarks>
    public static (double[] Values, double[] Vectors) SymmetricEigen(double[] a, int n, int vectors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vectors);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vectors, n);
        double[] reduced = (double[])a.Clone();
        var diagonal = new double[n];
        var offDiagonal = new double[Math.Max(0, n - 1)];
        var tau = new double[n];
        HouseholderTridiagonal.Reduce(reduced, n, diagonal, offDiagonal, tau);
        double[] values = SymmetricTridiagonal.Eigenvalues(diagonal, offDiagonal);
        double[] v = SymmetricTridiagonal.Eigenvectors(diagonal, offDiagonal, values.AsSpan(0, vectors));
        HouseholderTridiagonal.BackTransform(reduced, n, tau, v, vectors);
        return (values, v);
    }

    /// <summary>Makes the entry of largest magnitude of every row positive (the first such entry on ties).</summary>
    public static void FixSigns(Span<double> rows, int count, int length)
    {
        for (int r = 0; r < count; r++)
        {
            Span<double> row = rows.Slice(r * length, length);
            // Entries tied in magnitude (up to rounding) would let noise pick the sign, so the first entry within
            // a relative 1e-5 of the largest magnitude decides.
            double largest = Math.Abs(row[TensorPrimitives.IndexOfMaxMagnitude<double>(row)]);
            int best = 0;
            while (Math.Abs(row[best]) < largest * (1 - 1e-5))
            {
                best++;
            }

            if (row[best] < 0)
            {
                TensorPrimitives.Negate<double>(row, row);
            }
        }
    }

    /// <summary>
    /// Orthonormalises the <paramref name="count"/> rows of <paramref name="rows"/> (each of <paramref name="length"/>)
    /// by modified Gram–Schmidt applied twice; a row that is (numerically) in the span of the earlier ones is
    /// replaced by a random direction, so the result always has orthonormal rows.
    /// </summary>
    public static void Orthonormalize(Span<double> rows, int count, int length, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            Span<double> row = rows.Slice(i * length, length);
            for (int attempt = 0; ; attempt++)
            {
                double before = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(row));
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        ReadOnlySpan<double> other = rows.Slice(j * length, length);
                        double dot = TensorPrimitives.Dot<double>(row, other);
                        TensorPrimitives.MultiplyAdd(other, -dot, row, row);
                    }
                }

                double norm = Math.Sqrt(TensorPrimitives.SumOfSquares<double>(row));
                if (norm > 1e-10 * before && norm > 1e-300)
                {
                    TensorPrimitives.Multiply(row, 1.0 / norm, row);
                    break;
                }

                if (attempt > 8)
                {
                    throw new InvalidOperationException($"Cannot orthonormalise {count} vectors of length {length}.");
                }

                for (int c = 0; c < length; c++)
                {
                    row[c] = rng.NextGaussian();
                }
            }
        }
    }

    /// <summary>C [m, n] = A [m, k] · Bᵀ where B is [n, k]; all row-major, in double, parallel over rows of A.</summary>
    public static double[] MultiplyTransposed(double[] a, int m, int k, double[] b, int n)
    {
        var c = new double[m * n];
        RowBlocks.ForEachRange(m, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> ai = a.AsSpan(i * k, k);
                for (int j = 0; j < n; j++)
                {
                    c[(i * n) + j] = TensorPrimitives.Dot<double>(ai, b.AsSpan(j * k, k));
                }
            }
        });
        return c;
    }

    /// <summary>The lower Cholesky factor L (A = L·Lᵀ) of the symmetric positive definite row-major [n, n] matrix, or null if A is not positive definite.</summary>
    public static double[]? Cholesky(ReadOnlySpan<double> a, int n)
    {
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[(j * n) + j] - TensorPrimitives.SumOfSquares<double>(l.AsSpan(j * n, j));
            if (!(diagonal > 0) || !double.IsFinite(diagonal))
            {
                return null;
            }

            double ljj = Math.Sqrt(diagonal);
            l[(j * n) + j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[(i * n) + j] - TensorPrimitives.Dot<double>(l.AsSpan(i * n, j), l.AsSpan(j * n, j));
                l[(i * n) + j] = s / ljj;
            }
        }

        return l;
    }

    /// <summary>The inverse of the lower-triangular row-major [n, n] matrix <paramref name="l"/> (also lower triangular).</summary>
    public static double[] InvertLower(ReadOnlySpan<double> l, int n)
    {
        var inverse = new double[n * n];
        for (int c = 0; c < n; c++)
        {
            // Forward substitution for column c of the inverse: L·x = e_c.
            for (int i = c; i < n; i++)
            {
                double s = i == c ? 1.0 : 0.0;
                for (int j = c; j < i; j++)
                {
                    s -= l[(i * n) + j] * inverse[(j * n) + c];
                }

                inverse[(i * n) + c] = s / l[(i * n) + i];
            }
        }

        return inverse;
    }

    /// <summary>The transpose of the row-major [rows, columns] matrix.</summary>
    public static double[] Transpose(ReadOnlySpan<double> a, int rows, int columns)
    {
        var t = new double[a.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                t[(c * rows) + r] = a[(r * columns) + c];
            }
        }

        return t;
    }

    /// <summary>The elements converted to float.</summary>
    public static float[] ToFloat(ReadOnlySpan<double> a)
    {
        var f = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            f[i] = (float)a[i];
        }

        return f;
    }

    /// <summary>The elements converted to double.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> a)
    {
        var d = new double[a.Length];
        TensorPrimitives.ConvertChecked<float, double>(a, d);
        return d;
    }
}
