using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>KL(N(μ, diag σ²) ‖ N(0, I)) of each row, shape [rows].</summary>
    /// <remarks>kl_i = Σ_j ½(μ² + σ² − 1 − logσ²); ∂μ = g_i·μ; ∂logσ² = g_i·½(σ² − 1).</remarks>
    /// <param name="mean">μ, [rows, latent].</param>
    /// <param name="logVar">logσ², the same rows × columns.</param>
    public static Var KlDiagonalGaussian(Var mean, Var logVar)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVar);
        CheckSameMatrix(mean, logVar, nameof(KlDiagonalGaussian), nameof(logVar));
        var tape = Tape.Of(mean, logVar);
        var elements = tape.Pool.Rent(mean.Rows, mean.Columns);
        ElementWise.Map(default(KlDiagonalGaussianOperator), mean.Value.Span, logVar.Value.Span, elements.Span);
        var kl = tape.Pool.Rent(mean.Rows);
        RowTotals(elements, kl.Span);
        elements.Dispose();
        return tape.Record(KlDiagonalGaussianBackward.Instance, kl, mean, logVar);
    }

    private sealed class KlDiagonalGaussianBackward : IBackward
    {
        public static readonly KlDiagonalGaussianBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var g = node.Grad!.Span;
            var mean = node.A!;
            var logVar = node.B!;
            int columns = mean.Columns;
            var target = BeginGrad(tape, mean, out var dMean);
            if (target is not null)
            {
                for (int i = 0; i < g.Length; i++)
                {
                    TensorPrimitives.Multiply(mean.Value.Row(i), g[i], target.Row(i));
                }

                EndGrad(target, dMean!);
            }

            target = BeginGrad(tape, logVar, out var dLogVar);
            if (target is not null)
            {
                ReadOnlySpan<float> lv = logVar.Value.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    int offset = i * columns;
                    ElementWise.Map(new KlLogVarGradOperator(g[i]), lv.Slice(offset, columns), target.Span.Slice(offset, columns));
                }

                EndGrad(target, dLogVar!);
            }
        }
    }
}
