using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Binary cross-entropy of each row of <paramref name="logits"/> against <paramref name="targets"/> in
    /// [0, 1] (the Bernoulli negative log-likelihood), shape [rows].
    /// </summary>
    /// <remarks>
    /// loss_i = Σ_j [max(l, 0) − l·t + log(1 + e^−|l|)] with l = logits[i, j], t = targets[i, j], which never
    /// overflows. ∂l = g_i·(σ(l) − t); ∂t = −g_i·l.
    /// </remarks>
    /// <param name="logits">The logits, [rows, columns].</param>
    /// <param name="targets">The targets, the same rows × columns; usually data that does not require a gradient.</param>
    public static Var BceWithLogits(Var logits, Var targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        CheckSameMatrix(logits, targets, nameof(BceWithLogits), nameof(targets));
        var tape = Tape.Of(logits, targets);
        var elements = tape.Pool.Rent(logits.Rows, logits.Columns);
        ElementWise.Map(default(BceWithLogitsOperator), logits.Value.Span, targets.Value.Span, elements.Span);
        var loss = tape.Pool.Rent(logits.Rows);
        RowTotals(elements, loss.Span);
        elements.Dispose();
        return tape.Record(BceWithLogitsBackward.Instance, loss, logits, targets);
    }

    private sealed class BceWithLogitsBackward : IBackward
    {
        public static readonly BceWithLogitsBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var logits = node.A!;
            var targets = node.B!;
            var g = node.Grad!.Span;
            int columns = logits.Columns;
            ReadOnlySpan<float> l = logits.Value.Span, t = targets.Value.Span;
            var target = BeginGrad(tape, logits, out var dLogits);
            if (target is not null)
            {
                for (int i = 0; i < g.Length; i++)
                {
                    int offset = i * columns;
                    ElementWise.Map(new BceWithLogitsGradOperator(g[i]), l.Slice(offset, columns), t.Slice(offset, columns), target.Span.Slice(offset, columns));
                }

                EndGrad(target, dLogits!);
            }

            target = BeginGrad(tape, targets, out var dTargets);
            if (target is not null)
            {
                for (int i = 0; i < g.Length; i++)
                {
                    int offset = i * columns;
                    TensorPrimitives.Multiply(l.Slice(offset, columns), -g[i], target.Span.Slice(offset, columns));
                }

                EndGrad(target, dTargets!);
            }
        }
    }
}
