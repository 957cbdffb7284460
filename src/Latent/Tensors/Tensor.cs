using System.Runtime.CompilerServices;

namespace Latent.Tensors;

/// <summary>
/// A float32 array of rank 1 to 4, contiguous and row-major.
/// </summary>
/// <remarks>
/// A tensor's storage is either its own (<see cref="Zeros(int[])"/>, <see cref="FromArray"/>) or rented
/// from a <see cref="TensorPool"/>, in which case <see cref="Dispose"/> hands it back for reuse. The buffer
/// may be longer than <see cref="Length"/>; only the first <see cref="Length"/> elements belong to the tensor.
/// For matrix work a tensor of any rank is seen as <see cref="Rows"/> × <see cref="Columns"/>: the first
/// dimension by the product of the others.
/// <para>
/// A <em>view</em> (<see cref="View"/>, <see cref="TensorPool.RentView(Tensor, ReadOnlySpan{int})"/>) is a
/// second tensor over the same storage with another shape of the same length — a reshape without a copy;
/// writes through either are seen by both. A view never owns the storage: disposing it only lets go of it
/// (and hands the view object back to its pool), and a pooled tensor disposed while views of it are live
/// goes back to its pool only when the last of them is disposed, so a pool never hands out storage that is
/// still viewed.
/// </para>
/// </remarks>
public sealed class Tensor : IDisposable
{
    /// <summary>The largest rank a tensor may have.</summary>
    public const int MaxRank = 4;

    private float[] _buffer;
    private int _d0, _d1, _d2, _d3;
    private TensorPool? _pool;

    // Views: the tensor whose storage a view shares (never itself a view), the pool a view object goes
    // back to, and on the owner the number of live views and whether its disposal waits for them.
    private Tensor? _viewOf;
    private TensorPool? _viewPool;
    private int _liveViews;
    private bool _returnWhenUnviewed;

    internal Tensor(float[] buffer, TensorPool? pool)
    {
        _buffer = buffer;
        _pool = pool;
    }

    /// <summary>A new zero-filled tensor with its own storage.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int length = CheckShape(shape);
        var tensor = new Tensor(new float[length], null);
        tensor.SetShape(shape);
        return tensor;
    }

    /// <summary>A new zero-filled matrix with its own storage.</summary>
    public static Tensor Zeros(int rows, int columns) => Zeros([rows, columns]);

    /// <summary>Wraps (does not copy) <paramref name="data"/> as a tensor of the given shape.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int length = CheckShape(shape);
        if (length != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {length} elements but the data has {data.Length}.", nameof(data));
        }

        var tensor = new Tensor(data, null);
        tensor.SetShape(shape);
        return tensor;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with shape [rows, columns].</summary>
    public static Tensor FromRows(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var tensor = Zeros(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                tensor[i, j] = values[i, j];
            }
        }

        return tensor;
    }

    /// <summary>Number of dimensions, 1 to 4.</summary>
    public int Rank { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Length { get; private set; }

    /// <summary>Size of the first dimension.</summary>
    public int Rows => _d0;

    /// <summary>Product of all dimensions after the first (1 for a vector).</summary>
    public int Columns => _d1 * _d2 * _d3;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_buffer, 0, Length);
    }

    /// <summary>The backing array; only the first <see cref="Length"/> elements are the tensor's.</summary>
    internal float[] Buffer => _buffer;

    /// <summary>Whether this tensor's storage came from a pool (null for a view, which owns no storage).</summary>
    internal TensorPool? Pool => _pool;

    /// <summary>Whether this tensor is a view of another's storage.</summary>
    internal bool IsView => _viewOf is not null;

    /// <summary>The tensor that owns the storage of this view, or null when this is not a view.</summary>
    internal Tensor? ViewOf => _viewOf;

    /// <summary>Number of live (undisposed) views of this tensor's storage.</summary>
    internal int LiveViews => _liveViews;

    /// <summary>Size of dimension <paramref name="axis"/>.</summary>
    public int Dim(int axis)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(axis, Rank);
        return axis switch { 0 => _d0, 1 => _d1, 2 => _d2, _ => _d3 };
    }

    /// <summary>The shape as a new array.</summary>
    public int[] Shape
    {
        get
        {
            var shape = new int[Rank];
            for (int i = 0; i < Rank; i++)
            {
                shape[i] = Dim(i);
            }

            return shape;
        }
    }

    /// <summary>Element <paramref name="index"/> in row-major order.</summary>
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The element at <paramref name="row"/> and <paramref name="column"/> of a matrix view [rows, columns].</summary>
    public float this[int row, int column]
    {
        get => Span[checked((row * Columns) + column)];
        set => Span[checked((row * Columns) + column)] = value;
    }

    /// <summary>Row <paramref name="row"/> of the matrix view.</summary>
    public Span<float> Row(int row)
    {
        int columns = Columns;
        return new Span<float>(_buffer, row * columns, columns);
    }

    /// <summary>Whether the shapes are the same.</summary>
    public bool SameShape(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;
    }

    /// <summary>A copy with its own storage.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(Span.ToArray(), null);
        copy.CopyShapeFrom(this);
        return copy;
    }

    /// <summary>The elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Copies the elements of <paramref name="source"/>, which must have the same length.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length != Length)
        {
            throw new ArgumentException($"Cannot copy {source.Length} elements into a tensor of {Length}.", nameof(source));
        }

        source.Span.CopyTo(Span);
    }

    /// <summary>
    /// Returns pooled storage to its pool (once no view of it is live); a tensor with its own storage is
    /// left as it is, and a view lets go of the storage it shares without returning it.
    /// </summary>
    public void Dispose()
    {
        if (_viewOf is not null)
        {
            ReleaseView();
            return;
        }

        if (_liveViews > 0)
        {
            _returnWhenUnviewed = true;
            return;
        }

        ReturnStorage();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]";

    internal void AttachPool(TensorPool pool)
    {
        _pool = pool;
        _returnWhenUnviewed = false;
    }

    /// <summary>A new view of this tensor's storage with another shape of the same length.</summary>
    /// <remarks>The view object is allocated; <see cref="TensorPool.RentView(Tensor, ReadOnlySpan{int})"/> reuses them.</remarks>
    internal Tensor View(ReadOnlySpan<int> shape)
    {
        var view = new Tensor([], null);
        view.BecomeView(this, shape, null);
        return view;
    }

    /// <summary>Makes this (unused) tensor object a view of <paramref name="source"/>'s storage.</summary>
    /// <param name="source">The tensor, or view, whose storage to share.</param>
    /// <param name="shape">The view's shape, of <paramref name="source"/>'s length.</param>
    /// <param name="viewPool">The pool this view object returns to when disposed, or null.</param>
    internal void BecomeView(Tensor source, ReadOnlySpan<int> shape, TensorPool? viewPool)
    {
        int length = CheckShape(shape);
        if (length != source.Length)
        {
            throw new ArgumentException($"A view of {source} has {source.Length} elements; [{string.Join(", ", shape.ToArray())}] has {length}.", nameof(shape));
        }

        var owner = source._viewOf ?? source;
        owner._liveViews++;
        _viewOf = owner;
        _viewPool = viewPool;
        _buffer = owner._buffer;
        SetShape(shape);
    }

    /// <summary>As <see cref="BecomeView(Tensor, ReadOnlySpan{int}, TensorPool?)"/> with the shape of <paramref name="like"/>.</summary>
    internal void BecomeView(Tensor source, Tensor like, TensorPool? viewPool)
    {
        Span<int> shape = stackalloc int[like.Rank];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = like.Dim(i);
        }

        BecomeView(source, shape, viewPool);
    }

    private void ReleaseView()
    {
        var owner = _viewOf!;
        var viewPool = _viewPool;
        _viewOf = null;
        _viewPool = null;
        _buffer = [];
        SetShape(0);
        owner._liveViews--;
        if (owner._liveViews == 0 && owner._returnWhenUnviewed)
        {
            owner._returnWhenUnviewed = false;
            owner.ReturnStorage();
        }

        viewPool?.ReturnView(this);
    }

    private void ReturnStorage()
    {
        if (_pool is not null)
        {
            var pool = _pool;
            _pool = null;
            pool.Return(this);
        }
    }

    internal void SetShape(int d0)
    {
        Rank = 1;
        (_d0, _d1, _d2, _d3) = (d0, 1, 1, 1);
        Length = d0;
    }

    internal void SetShape(int d0, int d1)
    {
        Rank = 2;
        (_d0, _d1, _d2, _d3) = (d0, d1, 1, 1);
        Length = d0 * d1;
    }

    internal void SetShape(ReadOnlySpan<int> shape)
    {
        Rank = shape.Length;
        _d0 = shape[0];
        _d1 = shape.Length > 1 ? shape[1] : 1;
        _d2 = shape.Length > 2 ? shape[2] : 1;
        _d3 = shape.Length > 3 ? shape[3] : 1;
        Length = _d0 * _d1 * _d2 * _d3;
    }

    internal void CopyShapeFrom(Tensor other)
    {
        Rank = other.Rank;
        (_d0, _d1, _d2, _d3) = (other._d0, other._d1, other._d2, other._d3);
        Length = other.Length;
    }

    /// <summary>Checks a shape and returns its element count.</summary>
    internal static int CheckShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length is < 1 or > MaxRank)
        {
            throw new ArgumentException($"A tensor has rank 1 to {MaxRank}, not {shape.Length}.", nameof(shape));
        }

        long length = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            length *= d;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] has more elements than an array can hold.", nameof(shape));
            }
        }

        return (int)length;
    }
}
