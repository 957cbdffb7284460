using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// The items of a feature source as consecutive blocks of rows, for the methods that make whole passes over
/// the data (the classical fits, the scaling rule, the run's fingerprint): an in-memory source is one block,
/// its own storage, with no copy; any other (a memory-mapped file, a generator) is read a few MB at a time.
/// </summary>
/// <remarks>
/// A streamed block holds a whole number of <see cref="RowBlocks.Size"/> rows (from a multiple of it), so the
/// fixed row blocks of <see cref="ForEachRowBlock(Action{RowBlock, int, int, int})"/> are the same in both
/// cases and per-block results reduced in block order do not depend on how the data is held. The next block
/// is read while the current one is worked on.
/// </remarks>
internal sealed class SourceBlocks
{
    /// <summary>About how many bytes of float32 a streamed block holds (at least <see cref="RowBlocks.Size"/> rows).</summary>
    public const int BlockBytes = 4 << 20;

    private readonly IFeatureSource? _source;
    private readonly float[]? _storage;
    private readonly float[]? _shift;

    private SourceBlocks(IFeatureSource? source, float[]? storage, int rows, int columns, float[]? shift, int blockRows)
    {
        _source = source;
        _storage = storage;
        _shift = shift;
        Rows = rows;
        Columns = columns;
        BlockRows = blockRows;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The values per row.</summary>
    public int Columns { get; }

    /// <summary>Whether the rows are held in memory (one block, no copy).</summary>
    public bool InMemory => _storage is not null;

    /// <summary>Rows per block: all of them in memory, otherwise a multiple of <see cref="RowBlocks.Size"/>.</summary>
    public int BlockRows { get; }

    /// <summary>The rows of <paramref name="source"/>: its own storage when it is held in memory, otherwise read in blocks.</summary>
    /// <param name="source">The data.</param>
    /// <param name="blockRows">Rows per streamed block (a multiple of <see cref="RowBlocks.Size"/>), or null for about <see cref="BlockBytes"/>.</param>
    public static SourceBlocks Of(IFeatureSource source, int? blockRows = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        float[]? storage = source switch
        {
            Dataset dataset => dataset.Features.Buffer,
            TensorSource tensor => tensor.Data.Buffer,
            _ => null,
        };
        if (storage is not null)
        {
            return Of(storage, source.Count, source.Dimension);
        }

        int rows = blockRows ?? StreamedBlockRows(source.Dimension);
        if (rows < 1 || rows % RowBlocks.Size != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blockRows), rows, $"A streamed block holds a positive multiple of {RowBlocks.Size} rows.");
        }

        return new SourceBlocks(source, null, source.Count, source.Dimension, null, rows);
    }

    /// <summary>The row-major [<paramref name="rows"/>, <paramref name="columns"/>] matrix <paramref name="values"/> as one block.</summary>
    public static SourceBlocks Of(float[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new SourceBlocks(null, values, rows, columns, null, Math.Max(rows, 1));
    }

    /// <summary>Rows per streamed block of <paramref name="columns"/> values: about <see cref="BlockBytes"/>, a multiple of <see cref="RowBlocks.Size"/>.</summary>
    public static int StreamedBlockRows(int columns) =>
        Math.Max(1, BlockBytes / sizeof(float) / Math.Max(columns, 1) / RowBlocks.Size) * RowBlocks.Size;

    /// <summary>
    /// The same streamed rows with <paramref name="offset"/> subtracted from each as it is read (a centred view
    /// that costs no copy of the data).
    /// </summary>
    public SourceBlocks Shifted(float[] offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        if (_source is null)
        {
            throw new InvalidOperationException("Rows held in memory are shifted by the caller, into its own copy.");
        }

        return new SourceBlocks(_source, null, Rows, Columns, offset, BlockRows);
    }

    /// <summary>Runs <paramref name="body"/> on every block, in order.</summary>
    public void ForEach(Action<RowBlock> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_storage is not null)
        {
            body(new RowBlock(0, Rows, Columns, _storage, 0));
            return;
        }

        int d = Columns, size = BlockRows;
        float[] current = new float[Math.Min(size, Rows) * d], next = new float[current.Length];
        int[] indices = new int[Math.Min(size, Rows)];
        Read(0, Math.Min(size, Rows), current, indices);
        for (int start = 0; start < Rows; start += size)
        {
            int count = Math.Min(size, Rows - start), following = start + size;

            // The next block is read on another thread while this one is worked on.
            Task? reading = following < Rows
                ? Task.Run(() => Read(following, Math.Min(size, Rows - following), next, new int[indices.Length]))
                : null;
            try
            {
                body(new RowBlock(start, count, d, current, 0));
            }
            finally
            {
                reading?.GetAwaiter().GetResult();
            }

            (current, next) = (next, current);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(block, b, start, end) on every fixed row block b of <see cref="RowBlocks.Size"/>
    /// rows [start, end) (numbered over the whole data), the row blocks of each block in parallel.
    /// </summary>
    public void ForEachRowBlock(Action<RowBlock, int, int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ForEach(block =>
        {
            int first = block.Start / RowBlocks.Size;
            RowBlocks.ForEach(block.Count, (b, start, end) => body(block, first + b, block.Start + start, block.Start + end));
        });
    }

    /// <summary>As <see cref="ForEachRowBlock(Action{RowBlock, int, int, int})"/>, with a scratch object made by <paramref name="create"/> per thread at work.</summary>
    public void ForEachRowBlock<TState>(Func<TState> create, Action<RowBlock, int, int, int, TState> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ForEach(block =>
        {
            int first = block.Start / RowBlocks.Size;
            RowBlocks.ForEach(block.Count, create, (b, start, end, state) => body(block, first + b, block.Start + start, block.Start + end, state));
        });
    }

    /// <summary>Copies row <paramref name="row"/> (shifted as the blocks are) into <paramref name="destination"/>.</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        CopyRows([row], destination[..Columns]);
    }

    /// <summary>Copies rows <paramref name="rows"/> (shifted as the blocks are) into <paramref name="destination"/>, one after another.</summary>
    public void CopyRows(ReadOnlySpan<int> rows, Span<float> destination)
    {
        int d = Columns;
        if (_storage is not null)
        {
            for (int r = 0; r < rows.Length; r++)
            {
                _storage.AsSpan(rows[r] * d, d).CopyTo(destination.Slice(r * d, d));
            }

            return;
        }

        _source!.CopyRows(rows, destination[..(rows.Length * d)]);
        if (_shift is not null)
        {
            for (int r = 0; r < rows.Length; r++)
            {
                Span<float> row = destination.Slice(r * d, d);
                TensorPrimitives.Subtract(row, _shift, row);
            }
        }
    }

    private void Read(int start, int count, float[] buffer, int[] indices)
    {
        Span<int> rows = indices.AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }

        Span<float> values = buffer.AsSpan(0, count * Columns);
        _source!.CopyRows(rows, values);
        if (_shift is not null)
        {
            for (int r = 0; r < count; r++)
            {
                Span<float> row = values.Slice(r * Columns, Columns);
                TensorPrimitives.Subtract(row, _shift, row);
            }
        }
    }
}
