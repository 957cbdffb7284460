using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Keeps the <paramref name="k"/> largest entries of each row (by value; ties go to the lower index) and
    /// sets the rest to zero: the bottleneck of the k-sparse autoencoder.
    /// </summary>
    /// <remarks>With the 0/1 mask M of kept entries: y = x ⊙ M and ∂x = g ⊙ M.</remarks>
    /// <param name="x">The values, [rows, columns] (NaN not allowed).</param>
    /// <param name="k">Entries kept per row, 0 to columns.</param>
    public static Var TopKMask(this Var x, int k)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k > x.Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"TopKMask: k = {k} is more than the {x.Columns} columns of {x.Value}.");
        }

        var tape = Tape.Of(x);
        var v = x.Value;
        var mask = tape.Pool.RentLike(v);
        var scratch = tape.Pool.Rent(v.Columns);
        for (int i = 0; i < v.Rows; i++)
        {
            TopKSelection.Mask(v.Row(i), k, mask.Row(i), scratch.Span);
        }

        scratch.Dispose();
        var y = tape.Pool.RentLike(v);
        TensorPrimitives.Multiply(v.Span, mask.Span, y.Span);
        var node = tape.Record(TopKMaskBackward.Instance, y, x);
        if (node.Op is null)
        {
            mask.Dispose();
        }
        else
        {
            Tape.Save(node, mask);
        }

        return node;
    }

    /// <summary>∂x = g ⊙ M with the kept-entry mask M in Saved.</summary>
    private sealed class TopKMaskBackward : IBackward
    {
        public static readonly TopKMaskBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            var g = node.Grad!.Span;
            var mask = node.Saved!.Span;
            if (beta == 0f)
            {
                TensorPrimitives.Multiply(g, mask, dx.Span);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g, mask, dx.Span, dx.Span);
            }
        }
    }
}
