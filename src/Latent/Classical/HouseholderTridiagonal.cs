using System.Numerics;
using System.Runtime.CompilerServices;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// Householder reduction of a symmetric matrix to tridiagonal form, A = Q·T·Qᵀ (LAPACK's dsytd2), and the
/// back-transformation x = Q·z of eigenvectors of T.
/// </summary>
/// <remarks>
/// Step i (from n − 1 down to 1) annihilates row i left of its subdiagonal with the reflector
/// Hᵢ = I − τᵢ·vᵢ·vᵢᵀ acting on coordinates 0..i − 1 (vᵢ[i − 1] = 1), and applies it to the leading block by the
/// rank-2 update A ← A − v·wᵀ − w·vᵀ with w = p − ½τ(pᵀv)·v, p = τ·A·v. Only the lower triangle of the
/// row-major array is read and written, so every access runs along a row. The rank-2 update of step i and the
/// matrix-vector product of step i − 1 are fused into one pass over the rows: each row is read and written
/// once per step, which halves the memory traffic that bounds this reduction.
/// </remarks>
internal static class HouseholderTridiagonal
{
    /// <summary>
    /// Reduces the symmetric row-major [n, n] matrix <paramref name="a"/> (lower triangle read; overwritten by the
    /// reflectors) to the tridiagonal with diagonal <paramref name="diagonal"/> [n] and off-diagonal
    /// <paramref name="offDiagonal"/> [n − 1] (entry i couples i and i + 1); the reflectors' scales go to <paramref name="tau"/> [n].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce(Span<double> a, int n, Span<double> diagonal, Span<double> offDiagonal, Span<double> tau)
    {
        if (n <= 1)
        {
            if (n == 1)
            {
                diagonal[0] = a[0];
            }

            return;
        }

        var v = new double[n];
        var w = new double[n];
        var p = new double[n];
        var vNext = new double[n];
        tau.Clear();

        // The first step's product has no update to fuse with.
        double tauI = Reflector(a.Slice((n - 1) * n, n - 1), v, out double beta);
        if (n > 1)
        {
            offDiagonal[n - 2] = beta;
            diagonal[n - 1] = a[((n - 1) * n) + n - 1];
            tau[n - 1] = tauI;
            Array.Clear(p);
            if (tauI != 0)
            {
                for (int j = 0; j < n - 1; j++)
                {
                    UpdateRow(a.Slice(j * n, j + 1), j, v, w, false, v, p, true);
                }
            }
        }

        for (int i = n - 1; i >= 1; i--)
        {
            // Invariant: the reflector of step i is in v (and stored in row i), tauI = τᵢ, and p = A·v over the
            // leading i × i block (A as left by steps > i).
            bool update = tauI != 0;
            if (update)
            {
                TensorPrimitives.Multiply(p.AsSpan(0, i), tauI, p.AsSpan(0, i));
                double alpha = -0.5 * tauI * TensorPrimitives.Dot<double>(p.AsSpan(0, i), v.AsSpan(0, i));
                TensorPrimitives.MultiplyAdd(v.AsSpan(0, i), alpha, p.AsSpan(0, i), w.AsSpan(0, i));

                // Row i − 1 first: the next reflector comes from it.
                UpdateRow(a.Slice((i - 1) * n, i), i - 1, v, w, true, vNext, p, false);
            }

            diagonal[i - 1] = a[((i - 1) * n) + i - 1];
            if (i == 1)
            {
                break;
            }

            double tauNext = Reflector(a.Slice((i - 1) * n, i - 1), vNext, out beta);
            offDiagonal[i - 2] = beta;
            tau[i - 1] = tauNext;
            Array.Clear(p, 0, i - 1);
            bool multiply = tauNext != 0;
            if (update || multiply)
            {
                for (int j = 0; j < i - 1; j++)
                {
                    UpdateRow(a.Slice(j * n, j + 1), j, v, w, update, vNext, p, multiply);
                }
            }

            (v, vNext) = (vNext, v);
            tauI = tauNext;
        }
    }

    /// <summary>
    /// Applies Q = H_{n−1}⋯H₁ to each of the <paramref name="count"/> rows of <paramref name="vectors"/> (each of
    /// length n): eigenvectors of T become eigenvectors of A.
    /// </summary>
    public static void BackTransform(ReadOnlySpan<double> reflectors, int n, ReadOnlySpan<double> tau, double[] vectors, int count)
    {
        double[] h = reflectors.ToArray();
        double[] t = tau.ToArray();
        RowBlocks.ForEachRange(count, 1, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                Span<double> x = vectors.AsSpan(r * n, n);
                for (int i = 1; i < n; i++)
                {
                    if (t[i] == 0)
                    {
                        continue;
                    }

                    // vᵢ is stored in row i left of the subdiagonal, with an implicit 1 at i − 1.
                    ReadOnlySpan<double> v = h.AsSpan(i * n, i - 1);
                    Span<double> head = x[..(i - 1)];
                    double s = t[i] * (TensorPrimitives.Dot<double>(v, head) + x[i - 1]);
                    TensorPrimitives.MultiplyAdd(v, -s, head, head);
                    x[i - 1] -= s;
                }
            }
        });
    }

    /// <summary>
    /// The reflector H = I − τ·v·vᵀ (LAPACK's dlarfg) with H·x = β·e_last for the row segment
    /// <paramref name="x"/>; writes v to <paramref name="v"/> and v's head (all but its last entry, which is 1) over
    /// <paramref name="x"/>. τ = 0 when x is already zero left of its last entry.
    /// </summary>
    private static double Reflector(Span<double> x, double[] v, out double beta)
    {
        int m = x.Length;
        if (m == 0)
        {
            beta = 0;
            return 0;
        }

        double alpha = x[m - 1];
        Span<double> head = x[..(m - 1)];
        double headNorm = TensorPrimitives.Norm<double>(head);
        if (headNorm == 0)
        {
            beta = alpha;
            head.CopyTo(v);
            v[m - 1] = 1;
            return 0;
        }

        beta = -Math.CopySign(double.Hypot(alpha, headNorm), alpha);
        double tau = (beta - alpha) / beta;
        TensorPrimitives.Multiply(head, 1 / (alpha - beta), head);
        head.CopyTo(v);
        v[m - 1] = 1;
        x[m - 1] = beta;
        return tau;
    }

    /// <summary>
    /// For row j of the lower triangle (<paramref name="row"/> = entries 0..j): when <paramref name="update"/>,
    /// A[j, c] −= v[j]·w[c] + w[j]·v[c]; then, when <paramref name="multiply"/>, adds row j's share of A·u to
    /// <paramref name="p"/> (A[j, c]·u[c] to p[j] and A[j, c]·u[j] to p[c] for c &lt; j, A[j, j]·u[j] to p[j]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRow(Span<double> row, int j, double[] v, double[] w, bool update, double[] u, double[] p, bool multiply)
    {
        double vj = v[j], wj = w[j], uj = u[j];
        int c = 0;
        double dot = 0;
        if (Vector.IsHardwareAccelerated && j >= Vector<double>.Count)
        {
            var vvj = new Vector<double>(-vj);
            var vwj = new Vector<double>(-wj);
            var vuj = new Vector<double>(uj);
            Vector<double> acc = Vector<double>.Zero;
            int width = Vector<double>.Count;
            for (; c <= j - width; c += width)
            {
                var r = new Vector<double>(row.Slice(c, width));
                if (update)
                {
                    r = Vector.FusedMultiplyAdd(vvj, new Vector<double>(w, c), r);
                    r = Vector.FusedMultiplyAdd(vwj, new Vector<double>(v, c), r);
                    r.CopyTo(row.Slice(c, width));
                }

                if (multiply)
                {
                    acc = Vector.FusedMultiplyAdd(r, new Vector<double>(u, c), acc);
                    Vector.FusedMultiplyAdd(r, vuj, new Vector<double>(p, c)).CopyTo(p, c);
                }
            }

            dot = Vector.Sum(acc);
        }

        for (; c < j; c++)
        {
            double r = row[c];
            if (update)
            {
                r -= (vj * w[c]) + (wj * v[c]);
                row[c] = r;
            }

            if (multiply)
            {
                dot += r * u[c];
                p[c] += r * uj;
            }
        }

        double diagonal = row[j];
        if (update)
        {
            diagonal -= 2 * vj * wj;
            row[j] = diagonal;
        }

        if (multiply)
        {
            p[j] += dot + (diagonal * uj);
        }
    }
}
