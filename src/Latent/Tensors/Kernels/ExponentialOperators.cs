using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>softplus(x) = log(1 + eˣ), computed stably as max(x, 0) + log(1 + e^−|x|).</summary>
internal readonly struct SoftplusOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f) + VectorMath.Log1pExpNegAbs(x);

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero) + VectorMath.Log1pExpNegAbs(x);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + VectorMath.Log1pExpNegAbs(x);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero) + VectorMath.Log1pExpNegAbs(x);
}

/// <summary>g·σ(x): the gradient of softplus (its derivative is the logistic sigmoid).</summary>
internal readonly struct SoftplusGradOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => g * VectorMath.Sigmoid(x);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) => g * VectorMath.Sigmoid(x);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => g * VectorMath.Sigmoid(x);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => g * VectorMath.Sigmoid(x);
}

/// <summary>scale·e^(x − shift): a shifted exponential, the softmax numerator of a stable log-sum-exp.</summary>
internal readonly struct ScaledShiftedExpOperator(float shift, float scale) : IUnaryOperator
{
    public float Invoke(float x) => VectorMath.Exp(x - shift) * scale;

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x - Vector128.Create(shift)) * scale;

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x - Vector256.Create(shift)) * scale;

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x - Vector512.Create(shift)) * scale;
}
