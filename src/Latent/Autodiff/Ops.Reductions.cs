using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    // Which reduction a node is: kept in node.Integer.
    private const int AllElements = 0, PerRow = 1, PerColumn = 2;

    /// <summary>The sum of all elements, shape [1] (accumulated in double).</summary>
    /// <remarks>∂x = g, the same for every element.</remarks>
    public static Var Sum(this Var x) => Reduce(x, AllElements, mean: false);

    /// <summary>The mean of all elements, shape [1] (accumulated in double).</summary>
    /// <remarks>∂x = g / N for N elements.</remarks>
    public static Var Mean(this Var x) => Reduce(x, AllElements, mean: true);

    /// <summary>The sum of each row (of x seen as rows × columns), shape [rows].</summary>
    /// <remarks>∂x[i, j] = g[i].</remarks>
    public static Var RowSums(this Var x) => Reduce(x, PerRow, mean: false);

    /// <summary>The mean of each row (of x seen as rows × columns), shape [rows].</summary>
    /// <remarks>∂x[i, j] = g[i] / columns.</remarks>
    public static Var RowMeans(this Var x) => Reduce(x, PerRow, mean: true);

    /// <summary>The sum of each column (of x seen as rows × columns), shape [columns].</summary>
    /// <remarks>∂x[i, j] = g[j].</remarks>
    public static Var ColumnSums(this Var x) => Reduce(x, PerColumn, mean: false);

    /// <summary>The mean of each column (of x seen as rows × columns), shape [columns].</summary>
    /// <remarks>∂x[i, j] = g[j] / rows.</remarks>
    public static Var ColumnMeans(this Var x) => Reduce(x, PerColumn, mean: true);

    private static Var Reduce(Var x, int kind, bool mean)
    {
        ArgumentNullException.ThrowIfNull(x);
        var tape = Tape.Of(x);
        var v = x.Value;
        Tensor y;
        float scale;
        switch (kind)
        {
            case AllElements:
                y = tape.Pool.Rent(1);
                scale = mean ? 1f / v.Length : 1f;
                y[0] = (float)(RowReductions.Sum(v.Span) * (mean ? 1.0 / v.Length : 1.0));
                break;
            case PerRow:
                y = tape.Pool.Rent(v.Rows);
                scale = mean ? 1f / v.Columns : 1f;
                RowReductions.RowSums(v.Span, v.Columns, y.Span);
                if (mean)
                {
                    TensorPrimitives.Multiply(y.Span, scale, y.Span);
                }

                break;
            default:
                y = tape.Pool.Rent(v.Columns);
                scale = mean ? 1f / v.Rows : 1f;
                RowReductions.ColumnSums(v.Span, v.Columns, y.Span, accumulate: false);
                if (mean)
                {
                    TensorPrimitives.Multiply(y.Span, scale, y.Span);
                }

                break;
        }

        var node = tape.Record(ReduceBackward.Instance, y, x);
        node.Integer = kind;
        node.Scalar = scale;
        return node;
    }

    private sealed class ReduceBackward : IBackward
    {
        public static readonly ReduceBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var dx = tape.GradBuffer(x, out float beta);
            if (dx is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            float scale = node.Scalar;
            switch (node.Integer)
            {
                case AllElements:
                    AddConstant(dx.Span, g[0] * scale, beta);
                    break;
                case PerRow:
                    for (int i = 0; i < dx.Rows; i++)
                    {
                        AddConstant(dx.Row(i), g[i] * scale, beta);
                    }

                    break;
                default:
                    for (int i = 0; i < dx.Rows; i++)
                    {
                        if (beta == 0f)
                        {
                            TensorPrimitives.Multiply(g, scale, dx.Row(i));
                        }
                        else
                        {
                            TensorPrimitives.MultiplyAdd(g, scale, dx.Row(i), dx.Row(i));
                        }
                    }

                    break;
            }
        }

        private static void AddConstant(Span<float> destination, float value, float beta)
        {
            if (beta == 0f)
            {
                destination.Fill(value);
            }
            else
            {
                TensorPrimitives.Add(destination, value, destination);
            }
        }
    }
}
