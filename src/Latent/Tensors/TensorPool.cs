namespace Latent.Tensors;

/// <summary>
/// Reuses tensor storage between training steps, so that a step allocates nothing after warm-up.
/// </summary>
/// <remarks>
/// Tensors are kept in buckets by exact element count: a training step asks for the same sizes every
/// time, so an exact match is the common case and no capacity is wasted. The pool also reuses the objects
/// of views (<see cref="RentView(Tensor, ReadOnlySpan{int})"/>, which share another tensor's storage) and
/// integer buffers that ops keep for their backward pass (<see cref="RentIndices"/>, such as the argmax of
/// a max-pooling), likewise by exact length. Storage that a live view still shares is returned only when
/// the last view is disposed, so <see cref="Rent(int, bool)"/> never hands it out. The pool is not
/// thread-safe; each training loop (or tape) owns one.
/// </remarks>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<Tensor>> _free = [];
    private readonly Stack<Tensor> _freeViews = [];
    private readonly Dictionary<int, Stack<int[]>> _freeIndices = [];

    /// <summary>
    /// Number of tensors, view objects and integer buffers created by this pool since it was made (for
    /// allocation tests: after warm-up a training step creates none).
    /// </summary>
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

    /// <summary>A view of <paramref name="source"/>'s storage with another shape of the same length (no copy).</summary>
    /// <remarks>Disposing the view hands the view object back to this pool and never the storage.</remarks>
    internal Tensor RentView(Tensor source, ReadOnlySpan<int> shape)
    {
        var view = TakeView();
        view.BecomeView(source, shape, this);
        return view;
    }

    /// <summary>A view of <paramref name="source"/>'s storage shaped like <paramref name="like"/> (no copy).</summary>
    internal Tensor RentView(Tensor source, Tensor like)
    {
        var view = TakeView();
        view.BecomeView(source, like, this);
        return view;
    }

    /// <summary>An integer buffer of exactly <paramref name="length"/> elements, contents unspecified; give it back with <see cref="ReturnIndices"/>.</summary>
    internal int[] RentIndices(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_freeIndices.TryGetValue(length, out var stack) && stack.TryPop(out int[]? buffer))
        {
            return buffer;
        }

        Created++;
        return new int[length];
    }

    /// <summary>Takes back a buffer from <see cref="RentIndices"/>.</summary>
    internal void ReturnIndices(int[] buffer)
    {
        if (!_freeIndices.TryGetValue(buffer.Length, out var stack))
        {
            stack = new Stack<int[]>();
            _freeIndices.Add(buffer.Length, stack);
        }

        stack.Push(buffer);
    }

    internal void ReturnView(Tensor view) => _freeViews.Push(view);

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

    private Tensor TakeView()
    {
        if (_freeViews.TryPop(out var view))
        {
            return view;
        }

        Created++;
        return new Tensor([], null);
    }
}
