using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

/// <summary>The differentiable operations: each computes its value and records on the tape how to pass the gradient back.</summary>
public static partial class Ops
{
    /// <summary>max(x, 0), element-wise.</summary>
    public static Var Relu(this Var x) => Activate(x, Activation.Relu, 0f);

    /// <summary>x for x &gt; 0, else slope·x, element-wise.</summary>
    public static Var LeakyRelu(this Var x, float slope = ActivationKernels.DefaultLeakySlope) => Activate(x, Activation.LeakyRelu, slope);

    /// <summary>1 / (1 + e^−x), element-wise.</summary>
    public static Var Sigmoid(this Var x) => Activate(x, Activation.Sigmoid, 0f);

    /// <summary>tanh x, element-wise.</summary>
    public static Var Tanh(this Var x) => Activate(x, Activation.Tanh, 0f);

    /// <summary>Applies <paramref name="activation"/> element-wise; the gradient is written through the output.</summary>
    public static Var Activate(this Var x, Activation activation, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckLeakySlope(activation, leakySlope);
        var tape = Tape.Of(x);
        var y = tape.Pool.RentLike(x.Value);
        x.Value.Span.CopyTo(y.Span);
        ActivationKernels.Apply(activation, y.Span, leakySlope);
        var node = tape.Record(ActivationBackward.Instance, y, x);
        node.Activation = activation;
        node.Scalar = leakySlope;
        return node;
    }

    /// <summary>
    /// The derivative is read from the output (y &gt; 0 ⇔ x &gt; 0), which holds only for a slope ≥ 0; a
    /// negative slope would silently give wrong gradients, so it is refused.
    /// </summary>
    internal static void CheckLeakySlope(Activation activation, float leakySlope)
    {
        if (activation == Activation.LeakyRelu && !(leakySlope >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(leakySlope), leakySlope, "A leaky relu's slope must be 0 or more.");
        }
    }

    private sealed class ActivationBackward : IBackward
    {
        public static readonly ActivationBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            if (beta == 0f)
            {
                ActivationKernels.Backward(node.Activation, node.Value.Span, node.Grad!.Span, dx.Span, node.Scalar);
            }
            else
            {
                // The node's own gradient is not needed after this, so it is reused as scratch.
                ActivationKernels.Backward(node.Activation, node.Value.Span, node.Grad!.Span, node.Grad.Span, node.Scalar);
                TensorPrimitives.Add(dx.Span, node.Grad.Span, dx.Span);
            }
        }
    }
}
