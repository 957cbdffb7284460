namespace Latent.Tensors;

/// <summary>
/// Reuses tensor storage between training steps, so that a step allocates nothing after warm-up.
/// </summary>
/// <remarks>
/// Tensors are kept in buckets by exact element count: a training step asks for the same sizes every
/// time, so an exact match is the common case and no capacity is wasted. The pool is not thread-safe;
/// each training loop (or tape) owns one.
/// </remarks>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<Tensor>> _free = [];

    /// <summary>Number of tensors created by this pool since it was made (for allocation tests).</summary>
    public int Created { get; private set; }

    /// <summary>A vector of <paramref name="length"/> elements; the contents are unspecified unless <paramref name="clear"/>.</summary>
    public Tensor Rent(int length, bool clear = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var tensor = Take(length);
        tensor.SetShape(length);
        if (clear)
        {
            tensor.Clear();
        }

        return tensor;
    }

    /// <summary>A matrix [rows, columns]; the contents are unspecified unless <paramref name="clear"/>.</summary>
    public Tensor Rent(int rows, int columns, bool clear = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var tensor = Take(checked(rows * columns));
        tensor.SetShape(rows, columns);
        if (clear)
        {
            tensor.Clear();
        }

        return tensor;
    }

    /// <summary>A tensor shaped like <paramref name="like"/>; the contents are unspecified unless <paramref name="clear"/>.</summary>
    public Tensor RentLike(Tensor like, bool clear = false)
    {
        ArgumentNullException.ThrowIfNull(like);
        var tensor = Take(like.Length);
        tensor.CopyShapeFrom(like);
        if (clear)
        {
            tensor.Clear();
        }

        return tensor;
    }

    /// <summary>A tensor of any shape of rank 1 to 4.</summary>
    public Tensor Rent(ReadOnlySpan<int> shape, bool clear = false)
    {
        var tensor = Take(Tensor.CheckShape(shape));
        tensor.SetShape(shape);
        if (clear)
        {
            tensor.Clear();
        }

        return tensor;
    }

    internal void Return(Tensor tensor)
    {
        if (!_free.TryGetValue(tensor.Length, out var stack))
        {
            stack = new Stack<Tensor>();
            _free.Add(tensor.Length, stack);
        }

        stack.Push(tensor);
    }

    private Tensor Take(int length)
    {
        if (_free.TryGetValue(length, out var stack) && stack.TryPop(out var tensor))
        {
            tensor.AttachPool(this);
            return tensor;
        }

        Created++;
        return new Tensor(new float[length], this);
    }
}
