using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>The fused linear layer y = f(x·Wᵀ + b), one GEMM with bias and activation in its epilogue.</summary>
    /// <remarks>
    /// With z = x·Wᵀ + b and gz = gy ⊙ f′(z) (written through y): ∂x = gz·W, ∂W = gzᵀ·x, ∂b = Σ_rows gz.
    /// </remarks>
    /// <param name="x">Input [batch, in].</param>
    /// <param name="weight">Weights [out, in].</param>
    /// <param name="bias">Bias [out], or null.</param>
    /// <param name="activation">The activation f.</param>
    /// <param name="leakySlope">The slope of a leaky relu.</param>
    public static Var Linear(Var x, Var weight, Var? bias = null, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        CheckLeakySlope(activation, leakySlope);
        var tape = Tape.Of(x, weight, bias);
        int batch = x.Rows, inputs = x.Columns, outputs = weight.Rows;
        if (weight.Columns != inputs)
        {
            throw new ArgumentException($"Linear: input has {inputs} features but the weight is {weight.Value} ([out, in]).", nameof(weight));
        }

        if (bias is not null && bias.Value.Length != outputs)
        {
            throw new ArgumentException($"Linear: bias has {bias.Value.Length} elements, expected {outputs}.", nameof(bias));
        }

        var y = tape.Pool.Rent(batch, outputs);
        var epilogue = new GemmEpilogue(bias is null ? default : bias.Value.Span, activation, leakySlope);
        Gemm.Multiply(GemmForm.ABt, batch, outputs, inputs, 1f, x.Value.Span, inputs, weight.Value.Span, inputs, 0f, y.Span, outputs, epilogue);
        var node = tape.Record(LinearBackward.Instance, y, x, weight, bias);
        node.Activation = activation;
        node.Scalar = leakySlope;
        return node;
    }

    private sealed class LinearBackward : IBackward
    {
        public static readonly LinearBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var weight = node.B!;
            var bias = node.C;
            var gz = node.Grad!;

            // The node's own gradient is not needed after this, so f′ is applied in place.
            ActivationKernels.Backward(node.Activation, node.Value.Span, gz.Span, gz.Span, node.Scalar);
            int batch = x.Rows, inputs = x.Columns, outputs = weight.Rows;

            var dx = tape.GradBuffer(x, out float betaX);
            if (dx is not null)
            {
                Gemm.Multiply(GemmForm.AB, batch, inputs, outputs, 1f, gz.Span, outputs, weight.Value.Span, inputs, betaX, dx.Span, inputs);
            }

            var dw = tape.GradBuffer(weight, out float betaW);
            if (dw is not null)
            {
                Gemm.Multiply(GemmForm.AtB, outputs, inputs, batch, 1f, gz.Span, outputs, x.Value.Span, inputs, betaW, dw.Span, inputs);
            }

            if (bias is not null)
            {
                var db = tape.GradBuffer(bias, out float betaB);
                if (db is not null)
                {
                    SumRows(gz, db.Span, betaB);
                }
            }
        }
    }

    /// <summary>destination = β·destination + Σ_rows source.</summary>
    internal static void SumRows(Tensor source, Span<float> destination, float beta)
    {
        if (beta == 0f)
        {
            destination.Clear();
        }

        for (int r = 0; r < source.Rows; r++)
        {
            TensorPrimitives.Add(destination, source.Row(r), destination);
        }
    }
}
