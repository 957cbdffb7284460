using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>log Σ_j e^(x_ij) of each row, shape [rows]: stable (the row maximum is taken out) and summed in double.</summary>
    /// <remarks>
    /// y_i = m_i + log s_i with m_i = max_j x_ij and s_i = Σ_j e^(x_ij − m_i); ∂x_ij = g_i·softmax(x_i)_j =
    /// g_i·e^(x_ij − m_i) / s_i (m and 1/s are kept, so the softmax does not inherit the rounding of y).
    /// A row of all −∞ gets no gradient.
    /// </remarks>
    public static Var LogSumExpRows(this Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        int rows = x.Rows, columns = x.Columns;
        var y = tape.Pool.Rent(rows);

        // Row 0: the maxima m_i; row 1: 1 / s_i.
        var saved = tape.Pool.Rent(2, rows);
        var scratch = tape.Pool.Rent(columns);
        for (int i = 0; i < rows; i++)
        {
            y[i] = RowReductions.LogSumExp(x.Value.Row(i), scratch.Span, out float max, out double sum);
            saved[0, i] = max;
            saved[1, i] = float.IsFinite(max) ? (float)(1.0 / sum) : 0f;
        }

        scratch.Dispose();
        var node = tape.Record(LogSumExpRowsBackward.Instance, y, x);
        if (node.Op is null)
        {
            saved.Dispose();
        }
        else
        {
            Tape.Save(node, saved);
        }

        return node;
    }

    private sealed class LogSumExpRowsBackward : IBackward
    {
        public static readonly LogSumExpRowsBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var target = BeginGrad(tape, x, out var dx);
            if (target is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            var saved = node.Saved!;
            int columns = x.Columns;
            for (int i = 0; i < g.Length; i++)
            {
                var row = target.Span.Slice(i * columns, columns);
                float max = saved[0, i];
                if (float.IsFinite(max))
                {
                    ElementWise.Map(new ScaledShiftedExpOperator(max, g[i] * saved[1, i]), x.Value.Row(i), row);
                }
                else
                {
                    row.Clear();
                }
            }

            EndGrad(target, dx!);
        }
    }
}
