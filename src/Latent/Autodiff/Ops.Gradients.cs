using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

// Helpers shared by the backward passes: where to write an input's gradient, and the row-vector broadcast rule.
public static partial class Ops
{
    /// <summary>
    /// Where to write a freshly computed gradient of <paramref name="v"/>: its gradient buffer when that is
    /// empty, otherwise pooled scratch that <see cref="EndGrad"/> adds in. Null when no gradient flows.
    /// </summary>
    private static Tensor? BeginGrad(Tape tape, Var v, out Tensor? buffer)
    {
        buffer = tape.GradBuffer(v, out float beta);
        if (buffer is null)
        {
            return null;
        }

        return beta == 0f ? buffer : tape.Pool.RentLike(buffer);
    }

    /// <summary>Adds scratch from <see cref="BeginGrad"/> into the gradient buffer and returns it to the pool.</summary>
    private static void EndGrad(Tensor target, Tensor buffer)
    {
        if (!ReferenceEquals(target, buffer))
        {
            TensorPrimitives.Add(buffer.Span, target.Span, buffer.Span);
            target.Dispose();
        }
    }

    /// <summary>
    /// Whether <paramref name="b"/> is broadcast over the rows of <paramref name="a"/> (false when the shapes
    /// are equal); any other pairing is an error.
    /// </summary>
    private static bool IsRowBroadcast(Var a, Var b, string op)
    {
        if (a.Value.SameShape(b.Value))
        {
            return false;
        }

        if (b.Value.Length == a.Columns && (b.Value.Rank == 1 || b.Rows == 1))
        {
            return true;
        }

        throw new ArgumentException($"{op}: shapes {a.Value} and {b.Value} do not match; the second must have the first's shape or be a row vector [{a.Columns}] or [1, {a.Columns}].", nameof(b));
    }

    /// <summary>Adds gradient rows into <paramref name="b"/>'s gradient summed over the rows (the gradient of a row broadcast).</summary>
    private static void AccumulateColumnSums(Tape tape, Var b, Tensor rows)
    {
        var db = tape.GradBuffer(b, out float beta);
        if (db is not null)
        {
            RowReductions.ColumnSums(rows.Span, db.Length, db.Span, beta != 0f);
        }
    }

    /// <summary>Checks that two operands of a per-row loss are the same matrix (rows × columns; the ranks may differ).</summary>
    private static void CheckSameMatrix(Var a, Var b, string op, string name)
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
        {
            throw new ArgumentException($"{op}: {b.Value} does not match {a.Value} (both are seen as rows × columns).", name);
        }
    }

    /// <summary>destination[i] = Σ_j elements[i, j] (in double), then destination = scale·destination + offset.</summary>
    private static void RowTotals(Tensor elements, Span<float> destination, double scale = 1.0, double offset = 0.0)
    {
        int columns = elements.Columns;
        for (int i = 0; i < elements.Rows; i++)
        {
            destination[i] = (float)((scale * RowReductions.Sum(elements.Span.Slice(i * columns, columns))) + offset);
        }
    }
}
