using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>The numerically careful building blocks shared by the element-wise operators, at every width.</summary>
/// <remarks>
/// log(1 + e^−|x|) uses Goldberg's correction log1p(u) = log(w)·u / (w − 1) with w = 1 + u, which is exact
/// to rounding even where u is far below float epsilon (there w = 1 and log1p(u) = u).
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
        var w = Vector128<float>.One + u;
        var d = w - Vector128<float>.One;
        return Vector128.ConditionalSelect(Vector128.Equals(d, Vector128<float>.Zero), u, Vector128.Log(w) * u / d);
    }

    public static Vector256<float> Log1pExpNegAbs(Vector256<float> x)
    {
        var u = Vector256.Exp(-Vector256.Abs(x));
        var w = Vector256<float>.One + u;
        var d = w - Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<float>.Zero), u, Vector256.Log(w) * u / d);
    }

    public static Vector512<float> Log1pExpNegAbs(Vector512<float> x)
    {
        var u = Vector512.Exp(-Vector512.Abs(x));
        var w = Vector512<float>.One + u;
        var d = w - Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<float>.Zero), u, Vector512.Log(w) * u / d);
    }

    public static float Sigmoid(float x) => Sigmoid(Vector128.CreateScalar(x)).ToScalar();

    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));

    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}
