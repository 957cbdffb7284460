using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    // How logσ² of a Gaussian log-density is laid out: kept in node.Integer.
    private const int LogVarPerElement = 0, LogVarPerColumn = 1, LogVarShared = 2;

    /// <summary>
    /// The negative log-density of each row of <paramref name="x"/> under a diagonal Gaussian, shape [rows].
    /// </summary>
    /// <remarks>
    /// nll_i = Σ_j ½[log 2π + logσ² + (x − μ)²/σ²]. With r = x − μ and w = e^−logσ²:
    /// ∂x = g_i·r·w, ∂μ = −g_i·r·w, ∂logσ² = g_i·½(1 − r²·w), summed over the rows for a per-column logσ²
    /// and over every element for a shared one.
    /// </remarks>
    /// <param name="x">The data, [rows, columns].</param>
    /// <param name="mean">μ, the same rows × columns.</param>
    /// <param name="logVar">
    /// logσ²: the same rows × columns as μ, a row vector [columns] or [1, columns] (one learned σ per
    /// dimension), or a single element [1] (one shared σ).
    /// </param>
    public static Var GaussianNll(Var x, Var mean, Var logVar)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVar);
        CheckSameMatrix(x, mean, nameof(GaussianNll), nameof(mean));
        int rows = x.Rows, columns = x.Columns;
        int layout = logVar.Rows == rows && logVar.Columns == columns ? LogVarPerElement
            : logVar.Value.Length == 1 ? LogVarShared
            : logVar.Value.Length == columns && (logVar.Value.Rank == 1 || logVar.Rows == 1) ? LogVarPerColumn
            : throw new ArgumentException($"GaussianNll: logσ² is {logVar.Value}; it must match μ {mean.Value}, be a row vector [{columns}], or a single element [1].", nameof(logVar));
        var tape = Tape.Of(x, mean, logVar);
        var elements = tape.Pool.Rent(rows, columns);
        var sharedRow = layout == LogVarShared ? tape.Pool.Rent(columns) : null;
        sharedRow?.Fill(logVar.Value[0]);
        for (int i = 0; i < rows; i++)
        {
            ElementWise.Map(default(GaussianNllOperator), x.Value.Row(i), mean.Value.Row(i), LogVarRow(logVar, layout, sharedRow, i), elements.Row(i));
        }

        sharedRow?.Dispose();
        var nll = tape.Pool.Rent(rows);
        RowTotals(elements, nll.Span, 0.5, 0.5 * columns * Math.Log(2 * Math.PI));
        elements.Dispose();
        var node = tape.Record(GaussianNllBackward.Instance, nll, x, mean, logVar);
        node.Integer = layout;
        return node;
    }

    /// <summary>Row i of logσ² in its layout (the shared element is spread over a filled row).</summary>
    private static ReadOnlySpan<float> LogVarRow(Var logVar, int layout, Tensor? sharedRow, int i) => layout switch
    {
        LogVarPerElement => logVar.Value.Span.Slice(i * logVar.Columns, logVar.Columns),
        LogVarPerColumn => logVar.Value.Span,
        _ => sharedRow!.Span,
    };

    private sealed class GaussianNllBackward : IBackward
    {
        public static readonly GaussianNllBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var mean = node.B!;
            var logVar = node.C!;
            int layout = node.Integer;
            int columns = x.Columns;
            var g = node.Grad!.Span;
            var sharedRow = layout == LogVarShared ? tape.Pool.Rent(columns) : null;
            sharedRow?.Fill(logVar.Value[0]);
            WriteResidual(tape, node, x, 1f, sharedRow);
            WriteResidual(tape, node, mean, -1f, sharedRow);

            var dLogVar = tape.GradBuffer(logVar, out float beta);
            if (dLogVar is not null)
            {
                var op = default(GaussianNllLogVarGradOperator);
                if (layout == LogVarPerElement)
                {
                    var target = beta == 0f ? dLogVar : tape.Pool.RentLike(dLogVar);
                    for (int i = 0; i < g.Length; i++)
                    {
                        op = new GaussianNllLogVarGradOperator(g[i]);
                        ElementWise.Map(op, x.Value.Row(i), mean.Value.Row(i), LogVarRow(logVar, layout, sharedRow, i), target.Span.Slice(i * columns, columns));
                    }

                    EndGrad(target, dLogVar);
                }
                else
                {
                    var rowGrad = tape.Pool.Rent(columns);
                    if (beta == 0f)
                    {
                        dLogVar.Clear();
                    }

                    double total = 0;
                    for (int i = 0; i < g.Length; i++)
                    {
                        op = new GaussianNllLogVarGradOperator(g[i]);
                        ElementWise.Map(op, x.Value.Row(i), mean.Value.Row(i), LogVarRow(logVar, layout, sharedRow, i), rowGrad.Span);
                        if (layout == LogVarPerColumn)
                        {
                            TensorPrimitives.Add(dLogVar.Span, rowGrad.Span, dLogVar.Span);
                        }
                        else
                        {
                            total += RowReductions.Sum(rowGrad.Span);
                        }
                    }

                    if (layout == LogVarShared)
                    {
                        dLogVar[0] += (float)total;
                    }

                    rowGrad.Dispose();
                }
            }

            sharedRow?.Dispose();
        }

        /// <summary>∂input = sign·g_i·(x − μ)·e^−logσ², for input x (sign 1) or μ (sign −1).</summary>
        private static void WriteResidual(Tape tape, Var node, Var input, float sign, Tensor? sharedRow)
        {
            var target = BeginGrad(tape, input, out var buffer);
            if (target is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            var x = node.A!;
            var mean = node.B!;
            int columns = x.Columns;
            for (int i = 0; i < g.Length; i++)
            {
                ElementWise.Map(new GaussianNllResidualGradOperator(sign * g[i]), x.Value.Row(i), mean.Value.Row(i), LogVarRow(node.C!, node.Integer, sharedRow, i), target.Span.Slice(i * columns, columns));
            }

            EndGrad(target, buffer!);
        }
    }
}
