using Latent.Tensors;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>x with another shape of the same number of elements, as a view of x's storage (no copy).</summary>
    /// <remarks>
    /// Tensors are contiguous and row-major, so any shape of the same length reads the same elements in the
    /// same order: y is a view of x's storage, and writes to one are seen in the other. One dimension may be
    /// −1, inferred from the others. ∂x = g read in x's shape (passed on as a view of g where nothing else
    /// adds to ∂x).
    /// </remarks>
    /// <param name="x">The input.</param>
    /// <param name="shape">The new shape, rank 1 to 4; at most one dimension −1.</param>
    /// <exception cref="ArgumentException">The shape holds a different number of elements, or is malformed.</exception>
    public static Var Reshape(this Var x, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        Span<int> resolved = stackalloc int[Tensor.MaxRank];
        int rank = ResolveShape(x.Value, shape, resolved);
        return ViewAs(x, resolved[..rank]);
    }

    /// <summary>[N, C, H, W] (or any rank ≥ 2) as [N, C·H·W], a view of x's storage (no copy).</summary>
    /// <remarks>The reshape from images to the rows × features a linear layer takes; ∂x = g as [N, C, H, W].</remarks>
    /// <exception cref="ArgumentException">x is a vector, with no dimensions after the first.</exception>
    public static Var Flatten(this Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Value.Rank < 2)
        {
            throw new ArgumentException($"Flatten: {FormatShape(x.Value)} has no dimensions after the first to flatten; it needs [N, ...] of rank 2 to 4.", nameof(x));
        }

        return ViewAs(x, [x.Rows, x.Columns]);
    }

    /// <summary>[N, C·H·W] as [N, C, H, W] (images channel-major), a view of x's storage (no copy).</summary>
    /// <remarks>The inverse of <see cref="Flatten"/>; ∂x = g as [N, C·H·W].</remarks>
    /// <param name="x">The input, N rows of <paramref name="shape"/>.Size columns.</param>
    /// <param name="shape">The shape of one image.</param>
    /// <exception cref="ArgumentException">x's rows are not of one image's size.</exception>
    public static Var Unflatten(this Var x, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (shape.Size == 0)
        {
            throw new ArgumentException("Unflatten needs an image shape; this one is empty (default).", nameof(shape));
        }

        if (x.Value.Rank < 2 || x.Columns != shape.Size)
        {
            throw new ArgumentException($"Unflatten: {FormatShape(x.Value)} does not hold rows of {shape.Size} elements; an image of {shape} (channels×height×width) has {shape.Size}.", nameof(x));
        }

        return ViewAs(x, [x.Rows, shape.Channels, shape.Height, shape.Width]);
    }

    /// <summary>Records y = x seen in <paramref name="shape"/> (already checked to hold x's length).</summary>
    private static Var ViewAs(Var x, ReadOnlySpan<int> shape)
    {
        var tape = Tape.Of(x);
        var y = tape.Pool.RentView(x.Value, shape);
        return tape.RecordView(ReshapeBackward.Instance, y, x);
    }

    /// <summary>
    /// Writes <paramref name="shape"/> into <paramref name="resolved"/> with a −1 replaced by the size that
    /// makes it hold <paramref name="source"/>'s elements, and returns the rank; throws naming both shapes.
    /// </summary>
    private static int ResolveShape(Tensor source, ReadOnlySpan<int> shape, Span<int> resolved)
    {
        int length = source.Length;
        if (shape.Length is < 1 or > Tensor.MaxRank)
        {
            throw new ArgumentException($"Reshape: a tensor has rank 1 to {Tensor.MaxRank}; {FormatShape(shape)} has rank {shape.Length}.", nameof(shape));
        }

        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            int d = shape[i];
            if (d == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"Reshape: {FormatShape(shape)} has more than one −1; only one dimension can be inferred.", nameof(shape));
                }

                inferred = i;
            }
            else if (d < 0)
            {
                throw new ArgumentException($"Reshape: {FormatShape(shape)} has the negative size {d}; only −1 (inferred) is allowed.", nameof(shape));
            }
            else
            {
                // Saturates above any tensor's length, so the product cannot overflow (a later 0 still gives 0).
                known = Math.Min(known * d, (long)int.MaxValue + 1);
            }

            resolved[i] = d;
        }

        if (inferred >= 0)
        {
            if (known == 0 || length % known != 0)
            {
                throw new ArgumentException($"Reshape: {FormatShape(source)} has {length} elements, which {FormatShape(shape)} cannot hold: the other sizes multiply to {known}, which does not divide {length}.", nameof(shape));
            }

            resolved[inferred] = (int)(length / known);
        }
        else if (known != length)
        {
            throw new ArgumentException($"Reshape: {FormatShape(source)} has {length} elements; {FormatShape(shape)} has {known}.", nameof(shape));
        }

        return shape.Length;
    }

    /// <summary>A shape as "[128, 784]".</summary>
    private static string FormatShape(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";

    private static string FormatShape(Tensor tensor) => FormatShape(tensor.Shape);

    private sealed class ReshapeBackward : IBackward
    {
        public static readonly ReshapeBackward Instance = new();

        public void Backward(Var node, Tape tape) => tape.PassGradient(node.A!, node.Grad!);
    }
}
