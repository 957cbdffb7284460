using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>
/// Binary cross-entropy of a logit l against a target t in [0, 1]: max(l, 0) − l·t + log(1 + e^−|l|), which
/// equals −t·log σ(l) − (1 − t)·log(1 − σ(l)) and never overflows.
/// </summary>
internal readonly struct BceWithLogitsOperator : IBinaryOperator
{
    public float Invoke(float l, float t) => MathF.Max(l, 0f) - (l * t) + VectorMath.Log1pExpNegAbs(l);

    public Vector128<float> Invoke(Vector128<float> l, Vector128<float> t) => Vector128.Max(l, Vector128<float>.Zero) - (l * t) + VectorMath.Log1pExpNegAbs(l);

    public Vector256<float> Invoke(Vector256<float> l, Vector256<float> t) => Vector256.Max(l, Vector256<float>.Zero) - (l * t) + VectorMath.Log1pExpNegAbs(l);

    public Vector512<float> Invoke(Vector512<float> l, Vector512<float> t) => Vector512.Max(l, Vector512<float>.Zero) - (l * t) + VectorMath.Log1pExpNegAbs(l);
}

/// <summary>scale·(σ(l) − t): the gradient of <see cref="BceWithLogitsOperator"/> with respect to the logit.</summary>
internal readonly struct BceWithLogitsGradOperator(float scale) : IBinaryOperator
{
    public float Invoke(float l, float t) => (VectorMath.Sigmoid(l) - t) * scale;

    public Vector128<float> Invoke(Vector128<float> l, Vector128<float> t) => (VectorMath.Sigmoid(l) - t) * scale;

    public Vector256<float> Invoke(Vector256<float> l, Vector256<float> t) => (VectorMath.Sigmoid(l) - t) * scale;

    public Vector512<float> Invoke(Vector512<float> l, Vector512<float> t) => (VectorMath.Sigmoid(l) - t) * scale;
}

/// <summary>logσ² + (x − μ)²·e^−logσ²: twice a Gaussian's negative log-density, less log 2π.</summary>
internal readonly struct GaussianNllOperator : ITernaryOperator
{
    public float Invoke(float x, float mean, float logVar)
    {
        float d = x - mean;
        return logVar + (d * d * VectorMath.Exp(-logVar));
    }


    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> mean, Vector128<float> logVar)
    {
        var d = x - mean;
        return logVar + (d * d * Vector128.Exp(-logVar));
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> mean, Vector256<float> logVar)
    {
        var d = x - mean;
        return logVar + (d * d * Vector256.Exp(-logVar));
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> mean, Vector512<float> logVar)
    {
        var d = x - mean;
        return logVar + (d * d * Vector512.Exp(-logVar));
    }
}

/// <summary>scale·(x − μ)·e^−logσ²: the gradient of the Gaussian negative log-density with respect to x (and, negated, μ).</summary>
internal readonly struct GaussianNllResidualGradOperator(float scale) : ITernaryOperator
{
    public float Invoke(float x, float mean, float logVar) => (x - mean) * VectorMath.Exp(-logVar) * scale;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> mean, Vector128<float> logVar) => (x - mean) * Vector128.Exp(-logVar) * scale;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> mean, Vector256<float> logVar) => (x - mean) * Vector256.Exp(-logVar) * scale;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> mean, Vector512<float> logVar) => (x - mean) * Vector512.Exp(-logVar) * scale;
}

/// <summary>scale·½(1 − (x − μ)²·e^−logσ²): the gradient of the Gaussian negative log-density with respect to logσ².</summary>
internal readonly struct GaussianNllLogVarGradOperator(float scale) : ITernaryOperator
{
    public float Invoke(float x, float mean, float logVar)
    {
        float d = x - mean;
        return (1f - (d * d * VectorMath.Exp(-logVar))) * (0.5f * scale);
    }


    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> mean, Vector128<float> logVar)
    {
        var d = x - mean;
        return (Vector128<float>.One - (d * d * Vector128.Exp(-logVar))) * (0.5f * scale);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> mean, Vector256<float> logVar)
    {
        var d = x - mean;
        return (Vector256<float>.One - (d * d * Vector256.Exp(-logVar))) * (0.5f * scale);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> mean, Vector512<float> logVar)
    {
        var d = x - mean;
        return (Vector512<float>.One - (d * d * Vector512.Exp(-logVar))) * (0.5f * scale);
    }
}

/// <summary>½(μ² + e^logσ² − 1 − logσ²): one dimension of KL(N(μ, σ²) ‖ N(0, 1)).</summary>
internal readonly struct KlDiagonalGaussianOperator : IBinaryOperator
{
    public float Invoke(float mean, float logVar) => ((mean * mean) + VectorMath.Exp(logVar) - 1f - logVar) * 0.5f;

    public Vector128<float> Invoke(Vector128<float> mean, Vector128<float> logVar) => ((mean * mean) + Vector128.Exp(logVar) - Vector128<float>.One - logVar) * 0.5f;

    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar) => ((mean * mean) + Vector256.Exp(logVar) - Vector256<float>.One - logVar) * 0.5f;

    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar) => ((mean * mean) + Vector512.Exp(logVar) - Vector512<float>.One - logVar) * 0.5f;
}

/// <summary>scale·½(e^logσ² − 1): the gradient of <see cref="KlDiagonalGaussianOperator"/> with respect to logσ².</summary>
internal readonly struct KlLogVarGradOperator(float scale) : IUnaryOperator
{
    public float Invoke(float logVar) => (VectorMath.Exp(logVar) - 1f) * (0.5f * scale);

    public Vector128<float> Invoke(Vector128<float> logVar) => (Vector128.Exp(logVar) - Vector128<float>.One) * (0.5f * scale);

    public Vector256<float> Invoke(Vector256<float> logVar) => (Vector256.Exp(logVar) - Vector256<float>.One) * (0.5f * scale);

    public Vector512<float> Invoke(Vector512<float> logVar) => (Vector512.Exp(logVar) - Vector512<float>.One) * (0.5f * scale);
}

/// <summary>μ + e^(½logσ²)·ε: a reparameterised draw from N(μ, σ²).</summary>
internal readonly struct ReparameterizeOperator : ITernaryOperator
{
    public float Invoke(float mean, float logVar, float epsilon) => mean + (VectorMath.Exp(logVar * 0.5f) * epsilon);

    public Vector128<float> Invoke(Vector128<float> mean, Vector128<float> logVar, Vector128<float> epsilon) => mean + (Vector128.Exp(logVar * 0.5f) * epsilon);

    public Vector256<float> Invoke(Vector256<float> mean, Vector256<float> logVar, Vector256<float> epsilon) => mean + (Vector256.Exp(logVar * 0.5f) * epsilon);

    public Vector512<float> Invoke(Vector512<float> mean, Vector512<float> logVar, Vector512<float> epsilon) => mean + (Vector512.Exp(logVar * 0.5f) * epsilon);
}

/// <summary>g·½·e^(½logσ²)·ε: the gradient of <see cref="ReparameterizeOperator"/> with respect to logσ².</summary>
internal readonly struct ReparameterizeLogVarGradOperator : ITernaryOperator
{
    public float Invoke(float logVar, float epsilon, float g) => VectorMath.Exp(logVar * 0.5f) * epsilon * g * 0.5f;

    public Vector128<float> Invoke(Vector128<float> logVar, Vector128<float> epsilon, Vector128<float> g) => Vector128.Exp(logVar * 0.5f) * epsilon * g * 0.5f;

    public Vector256<float> Invoke(Vector256<float> logVar, Vector256<float> epsilon, Vector256<float> g) => Vector256.Exp(logVar * 0.5f) * epsilon * g * 0.5f;

    public Vector512<float> Invoke(Vector512<float> logVar, Vector512<float> epsilon, Vector512<float> g) => Vector512.Exp(logVar * 0.5f) * epsilon * g * 0.5f;
}
