using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Classical;

/// <summary>
/// The principal angles between two linear subspaces of ℝᵈ, each given by spanning vectors (the rows of a
/// row-major [count, d] array, as <see cref="PcaModel"/> holds its components): 0 when one subspace contains the
/// other, 90° for orthogonal ones.
/// </summary>
/// <remarks>
/// With Q₁ [d, k₁] and Q₂ [d, k₂] orthonormal bases (thin Householder QR, in double), the cosines of the
/// min(k₁, k₂) angles are the singular values of Q₁ᵀQ₂ (Björck and Golub 1973). Near 0 the arccosine loses half
/// the digits (cos θ ≈ 1 − θ²/2), so, as SciPy's <c>subspace_angles</c> does, the sines are also taken, as the
/// singular values of Q₂ − Q₁(Q₁ᵀQ₂) (for k₁ ≥ k₂; the roles swap otherwise), and each angle with cos² θ ≥ ½ is
/// the arcsine of its sine: every angle is then accurate to about 1e-15 rad.
/// </remarks>
public static class PrincipalAngles
{
    /// <summary>
    /// The principal angles in radians, ascending, between the span of the <paramref name="countA"/> rows of
    /// <paramref name="a"/> and that of the <paramref name="countB"/> rows of <paramref name="b"/>, every row of
    /// <paramref name="length"/> values: min(countA, countB) angles.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A count or the length is not positive, an array has not count × length values, a value is NaN or ±∞, or
    /// the rows of one array are linearly dependent (they span fewer dimensions than there are rows).
    /// </exception>
    public static double[] Between(ReadOnlySpan<double> a, int countA, ReadOnlySpan<double> b, int countB, int length)
    {
        var qa = Orthonormal(a, countA, length, nameof(a));
        var qb = Orthonormal(b, countB, length, nameof(b));
        if (countA < countB)
        {
            (qa, qb) = (qb, qa);
        }

        // qa has at least as many columns as qb: every direction of span(qb) has an angle to span(qa).
        var cross = qa.TransposeThisAndMultiply(qb);
        double[] cosines = cross.Svd(computeVectors: false).S.ToArray();
        double[] sines = (qb - (qa * cross)).Svd(computeVectors: false).S.ToArray();
        Array.Sort(cosines, (x, y) => y.CompareTo(x)); // descending: smallest angle first
        Array.Sort(sines);                              // ascending: smallest angle first
        int count = cosines.Length;
        var angles = new double[count];
        for (int i = 0; i < count; i++)
        {
            double cosine = Math.Clamp(cosines[i], 0, 1);
            double sine = i < sines.Length ? Math.Clamp(sines[i], 0, 1) : 0;
            angles[i] = cosine * cosine >= 0.5 ? Math.Asin(sine) : Math.Acos(cosine);
        }

        // Arcsine and arccosine switch over at 45°, where both are accurate; keep the order monotone anyway.
        Array.Sort(angles);
        return angles;
    }

    /// <summary>The principal angles in radians, ascending, between the row spaces of <paramref name="a"/> [k₁, d] and <paramref name="b"/> [k₂, d].</summary>
    /// <exception cref="ArgumentException">A tensor is not a matrix, the two have different row lengths, or see <see cref="Between(ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, int)"/>.</exception>
    public static double[] Between(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new ArgumentException($"Principal angles take two matrices of spanning rows; got {a} and {b}.", a.Rank != 2 ? nameof(a) : nameof(b));
        }

        if (a.Columns != b.Columns)
        {
            throw new ArgumentException($"The two subspaces must lie in the same space: rows of {a.Columns} and {b.Columns} values.", nameof(b));
        }

        return Between(DenseMath.ToDouble(a.Span), a.Rows, DenseMath.ToDouble(b.Span), b.Rows, a.Columns);
    }

    /// <summary>The largest principal angle in degrees between the row spaces (see <see cref="Between(ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, int)"/>).</summary>
    public static double LargestDegrees(ReadOnlySpan<double> a, int countA, ReadOnlySpan<double> b, int countB, int length) =>
        Between(a, countA, b, countB, length)[^1] * (180 / Math.PI);

    /// <summary>The largest principal angle in degrees between the row spaces of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static double LargestDegrees(Tensor a, Tensor b) => Between(a, b)[^1] * (180 / Math.PI);

    /// <summary>An orthonormal basis [length, count] of the span of the rows, by thin Householder QR.</summary>
    private static Matrix<double> Orthonormal(ReadOnlySpan<double> rows, int count, int length, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, name == "a" ? "countA" : "countB");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (rows.Length != (long)count * length)
        {
            throw new ArgumentException($"Subspace '{name}' has {rows.Length} values for {count} rows of {length}.", name);
        }

        if (count > length)
        {
            throw new ArgumentException($"Subspace '{name}' has {count} spanning rows in {length} dimensions, so they are linearly dependent.", name);
        }

        foreach (double value in rows)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"Subspace '{name}' holds a non-finite value ({value}).", name);
            }
        }

        // The rows as the columns of a [length, count] matrix (MathNet is column-major: the row-major rows are its columns).
        var matrix = Matrix<double>.Build.Dense(length, count, rows.ToArray());
        var qr = matrix.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var r = qr.R;
        double largest = 0;
        for (int i = 0; i < count; i++)
        {
            largest = Math.Max(largest, Math.Abs(r[i, i]));
        }

        for (int i = 0; i < count; i++)
        {
            if (!(Math.Abs(r[i, i]) > 1e-12 * largest))
            {
                throw new ArgumentException($"The {count} rows of subspace '{name}' are linearly dependent (row {i} lies in the span of the others), so they span fewer than {count} dimensions.", name);
            }
        }

        return qr.Q;
    }
}
