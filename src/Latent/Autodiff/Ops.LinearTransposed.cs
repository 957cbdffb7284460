using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// A linear map through a transposed weight, y = z·W + b: the decoder of a tied autoencoder, whose weight is
    /// the encoder's W [code, inputs] read the other way (x̂ = Wᵀz + b′ per item). One GEMM with the bias in
    /// its epilogue.
    /// </summary>
    /// <remarks>
    /// With gy the gradient of y: ∂z = gy·Wᵀ, ∂W += zᵀ·gy, ∂b = Σ_rows gy. ∂W adds to any gradient W already
    /// has (from the encoder that also uses it), so a tied weight gets the sum of both uses.
    /// </remarks>
    /// <param name="z">Input [batch, k] (the code).</param>
    /// <param name="weight">Weights [k, n] (an encoder's [out, in] weight, with out = k).</param>
    /// <param name="bias">Bias [n], or null.</param>
    public static Var LinearTransposed(Var z, Var weight, Var? bias = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(weight);
        var tape = Tape.Of(z, weight, bias);
        int batch = z.Rows, inner = z.Columns, outputs = weight.Columns;
        if (weight.Rows != inner)
        {
            throw new ArgumentException($"LinearTransposed: the input has {inner} features but the weight is {weight.Value} ([in, out], read transposed).", nameof(weight));
        }

        if (bias is not null && bias.Value.Length != outputs)
        {
            throw new ArgumentException($"LinearTransposed: bias has {bias.Value.Length} elements, expected {outputs}.", nameof(bias));
        }

        var y = tape.Pool.Rent(batch, outputs);
        var epilogue = new GemmEpilogue(bias is null ? default : bias.Value.Span);
        Gemm.Multiply(GemmForm.AB, batch, outputs, inner, 1f, z.Value.Span, inner, weight.Value.Span, outputs, 0f, y.Span, outputs, epilogue);
        return tape.Record(LinearTransposedBackward.Instance, y, z, weight, bias);
    }

    private sealed class LinearTransposedBackward : IBackward
    {
        public static readonly LinearTransposedBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var z = node.A!;
            var weight = node.B!;
            var bias = node.C;
            var gy = node.Grad!;
            int batch = z.Rows, inner = z.Columns, outputs = weight.Columns;

            var dz = tape.GradBuffer(z, out float betaZ);
            if (dz is not null)
            {
                Gemm.Multiply(GemmForm.ABt, batch, inner, outputs, 1f, gy.Span, outputs, weight.Value.Span, outputs, betaZ, dz.Span, inner);
            }

            var dw = tape.GradBuffer(weight, out float betaW);
            if (dw is not null)
            {
                Gemm.Multiply(GemmForm.AtB, inner, outputs, batch, 1f, z.Value.Span, inner, gy.Span, outputs, betaW, dw.Span, outputs);
            }

            if (bias is not null)
            {
                var db = tape.GradBuffer(bias, out float betaB);
                if (db is not null)
                {
                    SumRows(gy, db.Span, betaB);
                }
            }
        }
    }
}
