using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>(x − y)².</summary>
internal readonly struct SquaredDifferenceOperator : IBinaryOperator
{
    public float Invoke(float x, float y)
    {
        float d = x - y;
        return d * d;
    }


    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y)
    {
        var d = x - y;
        return d * d;
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y)
    {
        var d = x - y;
        return d * d;
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y)
    {
        var d = x - y;
        return d * d;
    }
}

/// <summary>scale·(x − y).</summary>
internal readonly struct ScaledDifferenceOperator(float scale) : IBinaryOperator
{
    public float Invoke(float x, float y) => (x - y) * scale;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => (x - y) * scale;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => (x - y) * scale;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => (x - y) * scale;
}

/// <summary>sign(x)·g, with sign(0) = 0: the gradient of |x|.</summary>
internal readonly struct AbsGradOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : x < 0f ? -g : 0f;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) =>
        (Vector128.GreaterThan(x, Vector128<float>.Zero) & g) | (Vector128.LessThan(x, Vector128<float>.Zero) & -g);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) =>
        (Vector256.GreaterThan(x, Vector256<float>.Zero) & g) | (Vector256.LessThan(x, Vector256<float>.Zero) & -g);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) =>
        (Vector512.GreaterThan(x, Vector512<float>.Zero) & g) | (Vector512.LessThan(x, Vector512<float>.Zero) & -g);
}

/// <summary>2·x·g: the gradient of x².</summary>
internal readonly struct SquareGradOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => (x + x) * g;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) => (x + x) * g;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => (x + x) * g;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => (x + x) * g;
}

/// <summary>g / (2y) with y = √x: the gradient of √x written through its output.</summary>
internal readonly struct SqrtGradOperator : IBinaryOperator
{
    public float Invoke(float y, float g) => g / (y + y);

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> g) => g / (y + y);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g / (y + y);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g / (y + y);
}

/// <summary>−g·y / b: the gradient of a / b with respect to b, written through y = a / b.</summary>
internal readonly struct QuotientDenominatorGradOperator : ITernaryOperator
{
    public float Invoke(float g, float y, float b) => -g * y / b;

    public Vector128<float> Invoke(Vector128<float> g, Vector128<float> y, Vector128<float> b) => -g * y / b;

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> y, Vector256<float> b) => -g * y / b;

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> y, Vector512<float> b) => -g * y / b;
}

/// <summary>1 where x &gt; threshold, else 0.</summary>
internal readonly struct ThresholdOperator(float threshold) : IUnaryOperator
{
    public float Invoke(float x) => x > threshold ? 1f : 0f;

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.GreaterThan(x, Vector128.Create(threshold)) & Vector128<float>.One;

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.GreaterThan(x, Vector256.Create(threshold)) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.GreaterThan(x, Vector512.Create(threshold)) & Vector512<float>.One;
}

/// <summary>g where x &gt; 0, else 0 (passes the gradient of the entries of a distance matrix that were not clamped).</summary>
internal readonly struct PositiveMaskOperator : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : 0f;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) => Vector128.GreaterThan(x, Vector128<float>.Zero) & g;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => Vector256.GreaterThan(x, Vector256<float>.Zero) & g;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => Vector512.GreaterThan(x, Vector512<float>.Zero) & g;
}
