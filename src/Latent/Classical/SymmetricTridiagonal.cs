using System.Runtime.CompilerServices;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Eigenvalues and selected eigenvectors of a symmetric tridiagonal matrix (LAPACK's dsterf and dstein).</summary>
internal static class SymmetricTridiagonal
{
    private const int MaxSweepsPerValue = 60;
    private const int InverseIterations = 3;

    // The unit roundoff 2⁻⁵³ and the spacing of doubles at 1, 2⁻⁵².
    private const double HalfUlp = 1.1102230246251565e-16;
    private const double Ulp = 2.220446049250313e-16;

    /// <summary>
    /// All eigenvalues, in descending order, of the tridiagonal with diagonal <paramref name="diagonal"/> and
    /// off-diagonal <paramref name="offDiagonal"/> (entry i couples i and i + 1), by the implicit QL method with
    /// Wilkinson shifts, without vectors: O(n²).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Eigenvalues(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal)
    {
        int n = diagonal.Length;
        double[] d = diagonal.ToArray();
        var e = new double[n];
        offDiagonal[..Math.Max(0, n - 1)].CopyTo(e);
        for (int l = 0; l < n; l++)
        {
            int sweeps = 0;
            int m;
            do
            {
                // The first negligible off-diagonal at or after l splits off the block l..m.
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon || Math.Abs(e[m]) <= HalfUlp * dd)
                    {
                        break;
                    }
                }

                if (m == l)
                {
                    break;
                }

                if (++sweeps > MaxSweepsPerValue)
                {
                    throw new InvalidOperationException("The tridiagonal QL iteration did not converge.");
                }

                // Wilkinson shift from the leading 2 × 2 block, then one implicit QL sweep of plane rotations.
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = double.Hypot(g, 1);
                g = d[m] - d[l] + (e[l] / (g + Math.CopySign(r, g)));
                double s = 1, c = 1, p = 0;
                int i;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = double.Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // Underflow: deflate and restart at l.
                        d[i + 1] -= p;
                        e[m] = 0;
                        break;
                    }

                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = ((d[i] - g) * s) + (2 * c * b);
                    p = s * r;
                    d[i + 1] = g + p;
                    g = (c * r) - b;
                }

                if (r == 0 && i >= l)
                {
                    continue;
                }

                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
            while (m != l);
        }

        Array.Sort(d, (x, y) => y.CompareTo(x));
        return d;
    }

    /// <summary>
    /// Unit eigenvectors (as the rows of a [values.Length, n] matrix) for the eigenvalues <paramref name="values"/>
    /// (descending, each an eigenvalue of the tridiagonal) by inverse iteration: each solve of (T − λI)·x = b uses an
    /// LU factorisation with partial pivoting, and vectors of eigenvalues closer than 10⁻³‖T‖ form a cluster whose
    /// vectors are re-orthogonalised against each other after every solve, so vectors of repeated or close
    /// eigenvalues come out orthonormal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Eigenvectors(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal, ReadOnlySpan<double> values)
    {
        int n = diagonal.Length;
        int count = values.Length;
        var vectors = new double[count * n];
        if (n == 0)
        {
            return vectors;
        }

        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            double row = Math.Abs(diagonal[i]) + (i > 0 ? Math.Abs(offDiagonal[i - 1]) : 0) + (i < n - 1 ? Math.Abs(offDiagonal[i]) : 0);
            norm = Math.Max(norm, row);
        }

        if (norm == 0)
        {
            // T = 0: any orthonormal basis; the unit vectors are one.
            for (int j = 0; j < count; j++)
            {
                vectors[(j * n) + Math.Min(j, n - 1)] = 1;
            }

            return vectors;
        }

        double clusterGap = 1e-3 * norm;
        double tiny = Ulp * norm;
        var lu = new TridiagonalLu(n);
        var rng = new Rng(0x5EED);
        int clusterStart = 0;
        double previous = 0;
        for (int j = 0; j < count; j++)
        {
            double lambda = values[j];
            if (j > 0 && previous - lambda >= clusterGap)
            {
                clusterStart = j;
            }

            // Equal shifts would give equal solves; a nudge of a few ulps keeps the vectors of a repeated
            // eigenvalue apart (as dstein does) without moving them off the eigenspace.
            if (j > clusterStart && previous - lambda < 10 * Ulp * Math.Abs(lambda))
            {
                lambda = previous - (10 * Ulp * Math.Max(Math.Abs(lambda), tiny));
            }

            previous = lambda;
            lu.Factor(diagonal, offDiagonal, lambda, tiny);
            Span<double> x = vectors.AsSpan(j * n, n);
            for (int c = 0; c < n; c++)
            {
                x[c] = (2 * rng.NextDouble()) - 1;
            }

            for (int iteration = 0; iteration < InverseIterations; iteration++)
            {
                Normalize(x);
                lu.Solve(x);
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int other = clusterStart; other < j; other++)
                    {
                        ReadOnlySpan<double> o = vectors.AsSpan(other * n, n);
                        TensorPrimitives.MultiplyAdd(o, -TensorPrimitives.Dot<double>(x, o), x, x);
                    }
                }
            }

            Normalize(x);
        }

        return vectors;
    }

    private static void Normalize(Span<double> x)
    {
        double largest = Math.Abs(x[TensorPrimitives.IndexOfMaxMagnitude<double>(x)]);
        if (largest == 0 || !double.IsFinite(largest))
        {
            throw new InvalidOperationException("Inverse iteration lost its vector.");
        }

        // Scaling by the largest entry first keeps the sum of squares from overflowing after a near-singular solve.
        TensorPrimitives.Multiply(x, 1 / largest, x);
        TensorPrimitives.Multiply(x, 1 / TensorPrimitives.Norm<double>(x), x);
    }
}
