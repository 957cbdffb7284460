using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>[a, b] side by side: a [rows, p] and b [rows, q] give [rows, p + q].</summary>
    /// <remarks>∂a = the first p columns of g; ∂b = the last q.</remarks>
    public static Var ConcatColumns(Var a, Var b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"ConcatColumns: {a.Value} has {a.Rows} rows but {b.Value} has {b.Rows}.", nameof(b));
        }

        var tape = Tape.Of(a, b);
        int p = a.Columns, q = b.Columns;
        var y = tape.Pool.Rent(a.Rows, p + q);
        for (int i = 0; i < a.Rows; i++)
        {
            var row = y.Row(i);
            a.Value.Row(i).CopyTo(row);
            b.Value.Row(i).CopyTo(row[p..]);
        }

        return tape.Record(ConcatColumnsBackward.Instance, y, a, b);
    }

    /// <summary>Columns start .. start + count − 1 of x (seen as rows × columns), shape [rows, count].</summary>
    /// <remarks>∂x = g in those columns, 0 elsewhere.</remarks>
    public static Var Columns(this Var x, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > x.Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Columns {start}..{start + count - 1} are outside {x.Value}, which has {x.Columns} columns.");
        }

        var tape = Tape.Of(x);
        var y = tape.Pool.Rent(x.Rows, count);
        for (int i = 0; i < x.Rows; i++)
        {
            x.Value.Row(i).Slice(start, count).CopyTo(y.Row(i));
        }

        var node = tape.Record(ColumnsBackward.Instance, y, x);
        node.Integer = start;
        return node;
    }

    /// <summary>Splits x (seen as rows × columns) into its first <paramref name="leftColumns"/> columns and the rest.</summary>
    /// <remarks>Two <see cref="Columns"/> slices; the gradients of both parts meet in ∂x.</remarks>
    public static (Var Left, Var Right) SplitColumns(this Var x, int leftColumns)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(leftColumns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leftColumns, x.Columns);
        return (x.Columns(0, leftColumns), x.Columns(leftColumns, x.Columns - leftColumns));
    }

    /// <summary>Rows start .. start + count − 1 of x, keeping the other dimensions.</summary>
    /// <remarks>∂x = g scattered back into those rows, 0 elsewhere.</remarks>
    public static Var RowSlice(this Var x, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > x.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{start + count - 1} are outside {x.Value}, which has {x.Rows} rows.");
        }

        var tape = Tape.Of(x);
        var v = x.Value;
        Span<int> shape = stackalloc int[v.Rank];
        for (int d = 1; d < shape.Length; d++)
        {
            shape[d] = v.Dim(d);
        }

        shape[0] = count;
        var y = tape.Pool.Rent(shape);
        int columns = v.Columns;
        v.Span.Slice(start * columns, count * columns).CopyTo(y.Span);
        var node = tape.Record(RowSliceBackward.Instance, y, x);
        node.Integer = start;
        return node;
    }

    private sealed class ConcatColumnsBackward : IBackward
    {
        public static readonly ConcatColumnsBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var g = node.Grad!;
            int p = node.A!.Columns;
            var da = tape.GradBuffer(node.A!, out float betaA);
            var db = tape.GradBuffer(node.B!, out float betaB);
            for (int i = 0; i < g.Rows; i++)
            {
                var row = g.Row(i);
                if (da is not null)
                {
                    CopyOrAdd(row[..p], da.Row(i), betaA);
                }

                if (db is not null)
                {
                    CopyOrAdd(row[p..], db.Row(i), betaB);
                }
            }
        }
    }

    private sealed class ColumnsBackward : IBackward
    {
        public static readonly ColumnsBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            if (beta == 0f)
            {
                dx.Clear();
            }

            var g = node.Grad!;
            int start = node.Integer, count = g.Columns;
            for (int i = 0; i < g.Rows; i++)
            {
                var destination = dx.Row(i).Slice(start, count);
                TensorPrimitives.Add(destination, g.Row(i), destination);
            }
        }
    }

    private sealed class RowSliceBackward : IBackward
    {
        public static readonly RowSliceBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            var g = node.Grad!;
            var destination = dx.Span.Slice(node.Integer * dx.Columns, g.Length);
            if (beta == 0f)
            {
                dx.Clear();
            }

            CopyOrAdd(g.Span, destination, beta);
        }
    }

    /// <summary>destination = source (β 0) or destination + source (β 1).</summary>
    private static void CopyOrAdd(ReadOnlySpan<float> source, Span<float> destination, float beta)
    {
        if (beta == 0f)
        {
            source.CopyTo(destination);
        }
        else
        {
            TensorPrimitives.Add(destination, source, destination);
        }
    }
}
