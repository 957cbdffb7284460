using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>The squared error of each row, Σ_j (p − t)², shape [rows].</summary>
    /// <remarks>∂p = 2·g_i·(p − t); ∂t = −2·g_i·(p − t).</remarks>
    /// <param name="prediction">The prediction, [rows, columns].</param>
    /// <param name="target">The target, the same rows × columns.</param>
    public static Var SquaredError(Var prediction, Var target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        CheckSameMatrix(prediction, target, nameof(SquaredError), nameof(target));
        var tape = Tape.Of(prediction, target);
        var elements = tape.Pool.Rent(prediction.Rows, prediction.Columns);
        ElementWise.Map(default(SquaredDifferenceOperator), prediction.Value.Span, target.Value.Span, elements.Span);
        var loss = tape.Pool.Rent(prediction.Rows);
        RowTotals(elements, loss.Span);
        elements.Dispose();
        return tape.Record(SquaredErrorBackward.Instance, loss, prediction, target);
    }

    private sealed class SquaredErrorBackward : IBackward
    {
        public static readonly SquaredErrorBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            Write(tape, node, node.A!, 2f);
            Write(tape, node, node.B!, -2f);
        }

        private static void Write(Tape tape, Var node, Var input, float sign)
        {
            var target = BeginGrad(tape, input, out var buffer);
            if (target is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            int columns = input.Columns;
            ReadOnlySpan<float> p = node.A!.Value.Span, t = node.B!.Value.Span;
            for (int i = 0; i < g.Length; i++)
            {
                int offset = i * columns;
                ElementWise.Map(new ScaledDifferenceOperator(sign * g[i]), p.Slice(offset, columns), t.Slice(offset, columns), target.Span.Slice(offset, columns));
            }

            EndGrad(target, buffer!);
        }
    }
}
