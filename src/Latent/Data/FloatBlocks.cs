namespace Latent.Data;

/// <summary>
/// A growable sequence of floats in fixed blocks of 1 Mi values: growing never copies, so gathering values
/// of unknown count costs the values themselves, not the 1.5 to 3 times of a doubling array.
/// </summary>
internal sealed class FloatBlocks
{
    private const int BlockLength = 1 << 20;
    private readonly List<float[]> _blocks = [];
    private int _used = BlockLength;

    /// <summary>The number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Appends <paramref name="value"/>.</summary>
    public void Add(float value)
    {
        if (_used == BlockLength)
        {
            _blocks.Add(new float[BlockLength]);
            _used = 0;
        }

        _blocks[^1][_used++] = value;
        Count++;
    }

    /// <summary>Appends <paramref name="values"/>.</summary>
    public void AddRange(ReadOnlySpan<float> values)
    {
        while (!values.IsEmpty)
        {
            if (_used == BlockLength)
            {
                _blocks.Add(new float[BlockLength]);
                _used = 0;
            }

            int n = Math.Min(values.Length, BlockLength - _used);
            values[..n].CopyTo(_blocks[^1].AsSpan(_used));
            _used += n;
            Count += n;
            values = values[n..];
        }
    }

    /// <summary>Copies every value, in order, to <paramref name="destination"/> (which holds exactly <see cref="Count"/>).</summary>
    public void CopyTo(Span<float> destination)
    {
        long offset = 0;
        foreach (var block in _blocks)
        {
            int n = (int)Math.Min(block.Length, Count - offset);
            block.AsSpan(0, n).CopyTo(destination[(int)offset..]);
            offset += n;
        }
    }

    /// <summary>Releases the blocks.</summary>
    public void Clear()
    {
        _blocks.Clear();
        _used = BlockLength;
        Count = 0;
    }
}
