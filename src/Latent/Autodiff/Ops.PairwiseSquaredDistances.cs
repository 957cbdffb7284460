using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The squared Euclidean distance between every row of <paramref name="x"/> and every row of
    /// <paramref name="y"/>, [n, m], by one GEMM (the kernel matrices of MMD are built from it).
    /// </summary>
    /// <remarks>
    /// D_ij = max(‖x_i‖² − 2·x_i·y_j + ‖y_j‖², 0). With G′ = g where D &gt; 0 (0 where clamped):
    /// ∂x_i = 2(Σ_j G′_ij·x_i − Σ_j G′_ij·y_j) and ∂y_j = 2(Σ_i G′_ij·y_j − Σ_i G′_ij·x_i), two more GEMMs.
    /// </remarks>
    /// <param name="x">[n, d].</param>
    /// <param name="y">[m, d]; may be the same Var as x.</param>
    public static Var PairwiseSquaredDistances(Var x, Var y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Columns != y.Columns)
        {
            throw new ArgumentException($"PairwiseSquaredDistances: {x.Value} has {x.Columns} features but {y.Value} has {y.Columns}.", nameof(y));
        }

        var tape = Tape.Of(x, y);
        int n = x.Rows, m = y.Rows, d = x.Columns;
        var distances = tape.Pool.Rent(n, m);
        Gemm.Multiply(GemmForm.ABt, n, m, d, -2f, x.Value.Span, Math.Max(d, 1), y.Value.Span, Math.Max(d, 1), 0f, distances.Span, Math.Max(m, 1));
        var yNorms = tape.Pool.Rent(m);
        for (int j = 0; j < m; j++)
        {
            yNorms[j] = TensorPrimitives.SumOfSquares(y.Value.Row(j));
        }

        for (int i = 0; i < n; i++)
        {
            var row = distances.Row(i);
            TensorPrimitives.Add(row, yNorms.Span, row);
            TensorPrimitives.Add(row, TensorPrimitives.SumOfSquares(x.Value.Row(i)), row);
            TensorPrimitives.Max(row, 0f, row);
        }

        yNorms.Dispose();
        return tape.Record(PairwiseSquaredDistancesBackward.Instance, distances, x, y);
    }

    private sealed class PairwiseSquaredDistancesBackward : IBackward
    {
        public static readonly PairwiseSquaredDistancesBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var y = node.B!;
            int n = x.Rows, m = y.Rows, d = x.Columns;
            int ld = Math.Max(d, 1), ldg = Math.Max(m, 1);

            // The node's gradient is not needed after this, so the clamped entries are zeroed in place.
            var g = node.Grad!;
            ElementWise.Map(default(PositiveMaskOperator), node.Value.Span, g.Span, g.Span);

            var dx = tape.GradBuffer(x, out float betaX);
            if (dx is not null)
            {
                Gemm.Multiply(GemmForm.AB, n, d, m, -2f, g.Span, ldg, y.Value.Span, ld, betaX, dx.Span, ld);
                for (int i = 0; i < n; i++)
                {
                    float rowSum = TensorPrimitives.Sum(g.Row(i));
                    TensorPrimitives.MultiplyAdd(x.Value.Row(i), 2f * rowSum, dx.Row(i), dx.Row(i));
                }
            }

            var dy = tape.GradBuffer(y, out float betaY);
            if (dy is not null)
            {
                Gemm.Multiply(GemmForm.AtB, m, d, n, -2f, g.Span, ldg, x.Value.Span, ld, betaY, dy.Span, ld);
                var columnSums = tape.Pool.Rent(m);
                RowReductions.ColumnSums(g.Span, m, columnSums.Span, accumulate: false);
                for (int j = 0; j < m; j++)
                {
                    TensorPrimitives.MultiplyAdd(y.Value.Row(j), 2f * columnSums[j], dy.Row(j), dy.Row(j));
                }

                columnSums.Dispose();
            }
        }
    }
}
