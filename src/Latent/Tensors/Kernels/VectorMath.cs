using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>The numerically careful building blocks shared by the element-wise operators, at every width.</summary>
/// <remarks>
/// log(1 + e^−|x|) is log1p(u) for u = e^−|x| in (0, 1], as 2·atanh(s) with s = u / (2 + u) in (0, 1/3]: the odd
/// series 2s·(1 + s²/3 + … + s¹⁴/15), whose first neglected term is below 2⁻²⁸ of the sum. No logarithm and no
/// cancellation: where u is far below float epsilon the result is u itself, to rounding. (Three times faster than
/// a vector logarithm, which made the Bernoulli loss the largest cost of a VAE step after the GEMMs.)
/// σ(x) = 1 / (1 + e^−x) saturates cleanly: e^−x overflows to ∞ and gives 0, never NaN.
/// The scalar forms are the vector forms on one lane, so that a scalar result equals the vector one bit for bit.
/// </remarks>
internal static class VectorMath
{
    /// <summary>eˣ rounded as <see cref="Vector128.Exp(Vector128{float})"/> rounds it (not as <see cref="MathF.Exp"/>).</summary>
    public static float Exp(float x) => Vector128.Exp(Vector128.CreateScalar(x)).ToScalar();

    public static float Log1pExpNegAbs(float x) => Log1pExpNegAbs(Vector128.CreateScalar(x)).ToScalar();

    public static Vector128<float> Log1pExpNegAbs(Vector128<float> x)
    {
        var u = Vector128.Exp(-Vector128.Abs(x));
        var s = u / (Vector128.Create(2f) + u);
        var z = s * s;
        var p = Vector128.Create(1f / 15);
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 13));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 11));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 9));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 7));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 5));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(1f / 3));
        return (s + s) * Vector128.FusedMultiplyAdd(p, z, Vector128<float>.One);
    }

    public static Vector256<float> Log1pExpNegAbs(Vector256<float> x)
    {
        var u = Vector256.Exp(-Vector256.Abs(x));
        var s = u / (Vector256.Create(2f) + u);
        var z = s * s;
        var p = Vector256.Create(1f / 15);
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 13));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 11));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 9));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 7));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 5));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1f / 3));
        return (s + s) * Vector256.FusedMultiplyAdd(p, z, Vector256<float>.One);
    }

    public static Vector512<float> Log1pExpNegAbs(Vector512<float> x)
    {
        var u = Vector512.Exp(-Vector512.Abs(x));
        var s = u / (Vector512.Create(2f) + u);
        var z = s * s;
        var p = Vector512.Create(1f / 15);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 13));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 11));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 9));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 7));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 5));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1f / 3));
        return (s + s) * Vector512.FusedMultiplyAdd(p, z, Vector512<float>.One);
    }

    public static float Sigmoid(float x) => Sigmoid(Vector128.CreateScalar(x)).ToScalar();

    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));

    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}
