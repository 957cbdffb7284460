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
        var loss = tape.Pool.Rent(logits.Rows);
        var pass = BceRows.Instance;
        (pass.Logits, pass.Targets, pass.Elements, pass.Loss, pass.Gradient) = (logits.Value, targets.Value, elements, loss, null);
        pass.Run(logits.Rows, BceRows.Grain(logits.Columns));
        pass.Release();
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
                var pass = BceRows.Instance;
                (pass.Logits, pass.Targets, pass.Elements, pass.Loss, pass.Gradient) = (logits.Value, targets.Value, target, null, node.Grad);
                pass.Run(logits.Rows, BceRows.Grain(columns));
                pass.Release();
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

    /// <summary>
    /// The loss's two passes over a batch, split by rows over the cores: forward, each row's elements and their
    /// total; backward (when <see cref="Gradient"/> is set), ∂logits = gᵢ·(σ(l) − t) into <see cref="Elements"/>.
    /// </summary>
    private sealed class BceRows : RowRangeJob
    {
        [ThreadStatic]
        private static BceRows? s_instance;

        public Tensor Logits = null!;
        public Tensor Targets = null!;
        public Tensor Elements = null!;
        public Tensor? Loss;
        public Tensor? Gradient;

        /// <summary>This thread's instance (an op's pass runs on the thread that called the op).</summary>
        public static BceRows Instance => s_instance ??= new BceRows();

        /// <summary>Rows per part: about 16 K elements, below which a second thread costs more than it saves.</summary>
        public static int Grain(int columns) => Math.Max(1, (1 << 14) / Math.Max(1, columns));

        /// <summary>Lets go of the tensors, which go back to the pool.</summary>
        public void Release() => (Logits, Targets, Elements, Loss, Gradient) = (null!, null!, null!, null, null);

        protected override void RunRows(int start, int end)
        {
            int columns = Logits.Columns, offset = start * columns, length = (end - start) * columns;
            ReadOnlySpan<float> l = Logits.Span.Slice(offset, length), t = Targets.Span.Slice(offset, length);
            var e = Elements.Span.Slice(offset, length);
            if (Gradient is { } gradient)
            {
                var g = gradient.Span;
                for (int i = start; i < end; i++)
                {
                    int row = (i - start) * columns;
                    ElementWise.Map(new BceWithLogitsGradOperator(g[i]), l.Slice(row, columns), t.Slice(row, columns), e.Slice(row, columns));
                }

                return;
            }

            ElementWise.Map(default(BceWithLogitsOperator), l, t, e);
            var loss = Loss!.Span;
            for (int i = start; i < end; i++)
            {
                loss[i] = (float)RowReductions.Sum(e.Slice((i - start) * columns, columns));
            }
        }
    }
}
