using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>Activations and their derivatives over spans, vectorised.</summary>
/// <remarks>
/// Derivatives are written in terms of the activation's output y = f(x), which the forward pass keeps:
/// relu′ = [y &gt; 0], leaky′ = [y &gt; 0] + slope·[y ≤ 0], σ′ = y(1 − y), tanh′ = 1 − y².
/// </remarks>
internal static class ActivationKernels
{
    /// <summary>The slope of <see cref="Activation.LeakyRelu"/> unless one is given (PyTorch's default).</summary>
    public const float DefaultLeakySlope = 0.01f;

    /// <summary>values[i] = f(values[i]).</summary>
    public static void Apply(Activation activation, Span<float> values, float leakySlope = DefaultLeakySlope)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.LeakyRelu:
                ElementWise.Map(new LeakyReluOperator(leakySlope), values, values);
                break;
            case Activation.Relu:
            case Activation.Sigmoid:
            case Activation.Tanh:
                ApplyLengthInvariant(activation, values);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>Relu, sigmoid or tanh, rounded the same way whatever the length of <paramref name="values"/>.</summary>
    /// <remarks>
    /// TensorPrimitives evaluates spans shorter than one Vector128 with its scalar functions, which round
    /// differently (by an ulp or so) from its vector paths, and spans shorter than the widest vector with a
    /// narrower one. A span shorter than the widest vector is therefore padded to one whole vector, so that every
    /// element gets the widest vector path's result (TensorPrimitives does a longer span's last partial vector
    /// as a whole vector too): a GEMM that applies the activation to a few columns, a fused linear layer and a
    /// separate activation op then agree bit for bit.
    /// </remarks>
    private static void ApplyLengthInvariant(Activation activation, Span<float> values)
    {
        if (values.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects an empty span; an empty batch has nothing to do.
            return;
        }

        int width = ElementWise.VectorBits / 32;
        if (values.Length < width)
        {
            Span<float> padded = stackalloc float[width];
            padded.Clear();
            values.CopyTo(padded);
            ApplySmooth(activation, padded);
            padded[..values.Length].CopyTo(values);
        }
        else
        {
            ApplySmooth(activation, values);
        }
    }

    private static void ApplySmooth(Activation activation, Span<float> values)
    {
        if (activation == Activation.Relu)
        {
            TensorPrimitives.Max(values, 0f, values);
        }
        else if (activation == Activation.Sigmoid)
        {
            TensorPrimitives.Sigmoid(values, values);
        }
        else
        {
            TensorPrimitives.Tanh(values, values);
        }
    }

    /// <summary>gradInput[i] = gradOutput[i]·f′ expressed through output[i].</summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput, float leakySlope = DefaultLeakySlope)
    {
        switch (activation)
        {
            case Activation.Identity:
                gradOutput.CopyTo(gradInput);
                break;
            case Activation.Relu:
                ElementWise.Map(new LeakyReluGradOperator(0f), output, gradOutput, gradInput);
                break;
            case Activation.LeakyRelu:
                ElementWise.Map(new LeakyReluGradOperator(leakySlope), output, gradOutput, gradInput);
                break;
            case Activation.Sigmoid:
                ElementWise.Map(default(SigmoidGradOperator), output, gradOutput, gradInput);
                break;
            case Activation.Tanh:
                ElementWise.Map(default(TanhGradOperator), output, gradOutput, gradInput);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public readonly struct LeakyReluOperator(float slope) : IUnaryOperator
    {
        public float Invoke(float x) => x > 0f ? x : x * slope;

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * slope);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);

        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
    }

    /// <summary>g for y &gt; 0, else slope·g (relu is slope 0).</summary>
    public readonly struct LeakyReluGradOperator(float slope) : IBinaryOperator
    {
        public float Invoke(float y, float g) => y > 0f ? g : g * slope;

        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> g) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), g, g * slope);

        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, g * slope);

        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), g, g * slope);
    }

    /// <summary>g·y·(1 − y).</summary>
    public readonly struct SigmoidGradOperator : IBinaryOperator
    {
        public float Invoke(float y, float g) => g * y * (1f - y);

        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> g) => g * y * (Vector128<float>.One - y);

        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * y * (Vector256<float>.One - y);

        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * y * (Vector512<float>.One - y);
    }

    /// <summary>g·(1 − y²).</summary>
    public readonly struct TanhGradOperator : IBinaryOperator
    {
        public float Invoke(float y, float g) => g * (1f - (y * y));

        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> g) => g * (Vector128<float>.One - (y * y));

        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => g * (Vector256<float>.One - (y * y));

        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => g * (Vector512<float>.One - (y * y));
    }
}
