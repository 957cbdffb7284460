using System.Buffers;
using System.Runtime.CompilerServices;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Where the values of each row sit in the data of an array file, and how they are decoded to float32 rows:
/// a C-order array row by row, a Fortran-order array gathered column by column (numpy's element
/// (i, j, k) of shape (n, h, w) is at i + n·(j + h·k)), a structured array record by record, one column per
/// field value, the labels field (if one is chosen) left out of the features.
/// </summary>
/// <remarks>Shared by the whole-file reader (<see cref="Npy"/>) and the memory-mapped one (<see cref="MappedSource"/>), so both read alike.</remarks>
internal sealed unsafe class RowLayout
{
    private readonly ArrayHeader _header;
    private readonly NpyField[] _features;
    private readonly bool _fortran;
    private readonly int[]? _fortranColumn;

    /// <summary>The layout of <paramref name="header"/>'s rows; <paramref name="labelField"/> names a structured array's labels field.</summary>
    public RowLayout(ArrayHeader header, string? labelField, string path)
    {
        _header = header;
        _features = [];
        if (header.Fields is { } fields)
        {
            if (labelField is not null)
            {
                Label = fields.FirstOrDefault(f => f.Name == labelField)
                    ?? throw new DataFormatException(path, $"label={labelField}: the array has no such field (its fields are {string.Join(", ", fields.Select(f => f.Name))}).");
                if (Label.Count != 1)
                {
                    throw new DataFormatException(path, $"label={labelField}: the field holds {Label.Count:N0} values per record; labels need one.");
                }
            }

            _features = [.. fields.Where(f => f != Label)];
            if (_features.Length == 0)
            {
                throw new DataFormatException(path, $"label={labelField}: no field is left for the features.");
            }

            Dimension = _features.Sum(f => f.Count);
            return;
        }

        if (labelField is not null)
        {
            throw new DataFormatException(path, $"label={labelField} picks a field of a structured array, and this array is a plain {header.Type} array; give the labels as a file (labels=FILE).");
        }

        Dimension = header.Shape.Length == 1 ? 1 : (int)header.RowLength;
        _fortran = header.FortranOrder;
        if (_fortran && header.Shape.Length > 2)
        {
            // Two dimensions need no map (column c is stored column c); more need one int per column.
            FormatLimits.CheckMemory(4 * header.RowLength, path, "the Fortran-order column map");
            _fortranColumn = FortranColumns(header.Shape);
        }
    }

    /// <summary>The error for <c>label=FIELD</c> on an IDX file, which has no fields.</summary>
    public static DataFormatException NoFields(string path, string labelField) =>
        new(path, $"label={labelField} picks a field of a structured NPY array; an IDX file has none (give labels=FILE).");

    /// <summary>Values per row (the features' columns).</summary>
    public int Dimension { get; }

    /// <summary>The field read as labels, or null.</summary>
    public NpyField? Label { get; }

    /// <summary>The rows of a data block that the caller has checked against the header.</summary>
    public int Rows => _header.Rows;

    /// <summary>Decodes every row of <paramref name="data"/> into <paramref name="destination"/> (rows × <see cref="Dimension"/>).</summary>
    public void CopyAll(byte* data, Span<float> destination)
    {
        if (_header.Fields is null && !_fortran)
        {
            ElementConversion.ToFloat(new ReadOnlySpan<byte>(data, checked((int)_header.DataBytes)), _header.Type, _header.BigEndian, destination);
            return;
        }

        // Blocks of about a million values: the gather's buffers stay small and the writes stay in cache.
        int block = Math.Max(64, (1 << 20) / Math.Max(1, Dimension));
        var indices = new int[Math.Min(block, Rows)];
        for (int start = 0; start < Rows; start += indices.Length)
        {
            int count = Math.Min(indices.Length, Rows - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            CopyRows(data, indices.AsSpan(0, count), destination.Slice(start * Dimension, count * Dimension));
        }
    }

    /// <summary>Decodes rows <paramref name="indices"/> (checked by the caller) of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public void CopyRows(byte* data, ReadOnlySpan<int> indices, Span<float> destination)
    {
        int d = Dimension;
        if (_fortran)
        {
            Gather(data, indices, destination);
            return;
        }

        // A C-order row is d contiguous values; a structured row is one record.
        long rowBytes = _header.Fields is null ? (long)d * _header.ItemBytes : _header.RecordBytes;
        for (int i = 0; i < indices.Length; i++)
        {
            byte* item = data + (indices[i] * rowBytes);
            var row = destination.Slice(i * d, d);
            if (_header.Fields is null)
            {
                ElementConversion.ToFloat(new ReadOnlySpan<byte>(item, (int)rowBytes), _header.Type, _header.BigEndian, row);
                continue;
            }

            int column = 0;
            foreach (var field in _features)
            {
                ElementConversion.ToFloat(new ReadOnlySpan<byte>(item + field.Offset, field.Bytes), field.Type, field.BigEndian, row.Slice(column, field.Count));
                column += field.Count;
            }
        }
    }

    /// <summary>The labels field's value for every record, checked as labels are.</summary>
    public int[] ReadLabels(byte* data, string path)
    {
        var field = Label ?? throw new InvalidOperationException("No labels field was chosen.");
        var values = new float[Rows];
        for (int i = 0; i < values.Length; i++)
        {
            ElementConversion.ToFloat(new ReadOnlySpan<byte>(data + ((long)i * _header.RecordBytes) + field.Offset, field.Bytes), field.Type, field.BigEndian, values.AsSpan(i, 1));
        }

        return ArrayFiles.ToLabels(values, $"{path} (field '{field.Name}')");
    }

    // Column c of a row in C order (the last index fastest) is stored as column FortranColumns[c] of the n-row,
    // column-major block: for shape (n, d1, ..., dk), (j1, ..., jk) ↦ j1 + d1·(j2 + d2·(… + d(k−1)·jk)).
    private static int[] FortranColumns(int[] shape)
    {
        long width = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var columns = new int[width];
        var index = new int[shape.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            long f = 0;
            for (int axis = shape.Length - 1; axis >= 1; axis--)
            {
                f = (f * shape[axis]) + index[axis];
            }

            columns[c] = (int)f;
            for (int axis = shape.Length - 1; axis >= 1 && ++index[axis] == shape[axis]; axis--)
            {
                index[axis] = 0;
            }
        }

        return columns;
    }

    // A Fortran-order batch: per column, the requested rows' elements are gathered (in ascending row order, so the
    // pages of a mapped file are visited forwards) into one small buffer, decoded at once and scattered to the rows.
    private void Gather(byte* data, ReadOnlySpan<int> indices, Span<float> destination)
    {
        int size = ElementConversion.SizeOf(_header.Type);
        int b = indices.Length;
        int d = Dimension;
        if (b == 0)
        {
            return;
        }

        long n = Rows;
        int[] order = ArrayPool<int>.Shared.Rent(b);
        int[] sortedRows = ArrayPool<int>.Shared.Rent(b);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(b * size);
        float[] column = ArrayPool<float>.Shared.Rent(b);
        try
        {
            bool run = true;
            for (int k = 0; k < b; k++)
            {
                order[k] = k;
                sortedRows[k] = indices[k];
                run &= k == 0 || indices[k] == indices[k - 1] + 1;
            }

            if (!run)
            {
                Array.Sort(sortedRows, order, 0, b);
            }

            for (int c = 0; c < d; c++)
            {
                byte* start = data + (n * (_fortranColumn is null ? c : _fortranColumn[c]) * size);
                ReadOnlySpan<byte> elements = run
                    ? new ReadOnlySpan<byte>(start + ((long)sortedRows[0] * size), b * size)
                    : Collect(start, sortedRows.AsSpan(0, b), size, bytes);
                ElementConversion.ToFloat(elements, _header.Type, _header.BigEndian, column.AsSpan(0, b));
                for (int k = 0; k < b; k++)
                {
                    destination[(order[k] * d) + c] = column[k];
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(sortedRows);
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<float>.Shared.Return(column);
        }
    }

    private static ReadOnlySpan<byte> Collect(byte* column, ReadOnlySpan<int> rows, int size, byte[] buffer)
    {
        fixed (byte* target = buffer)
        {
            for (int k = 0; k < rows.Length; k++)
            {
                byte* from = column + ((long)rows[k] * size);
                byte* to = target + (k * size);
                switch (size)
                {
                    case 1:
                        *to = *from;
                        break;
                    case 2:
                        Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<ushort>(from));
                        break;
                    case 4:
                        Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<uint>(from));
                        break;
                    default:
                        Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<ulong>(from));
                        break;
                }
            }
        }

        return buffer.AsSpan(0, rows.Length * size);
    }
}
