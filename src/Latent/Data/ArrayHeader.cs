using Latent.Serialization;

namespace Latent.Data;

/// <summary>What an IDX or NPY header says: element type, byte order, shape and where the data starts.</summary>
/// <param name="Type">The stored element type (for a structured array, the type of its first field).</param>
/// <param name="BigEndian">Whether multi-byte elements are big-endian (always for IDX).</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="DataOffset">Byte offset of the first element in the (uncompressed) file.</param>
public sealed record ArrayHeader(ElementType Type, bool BigEndian, int[] Shape, long DataOffset)
{
    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether the data is stored in Fortran (column-major) order; false for one dimension, where the orders agree.</summary>
    public bool FortranOrder { get; init; }

    /// <summary>The numeric fields of a structured array's records, in record order, or null for a plain array.</summary>
    public IReadOnlyList<NpyField>? Fields { get; init; }

    /// <summary>The bytes of one record of a structured array, padding included (unused for a plain array).</summary>
    public int RecordBytes { get; init; }

    /// <summary>The bytes of one element: a value of <see cref="Type"/>, or a whole record of a structured array.</summary>
    public int ItemBytes => Fields is null ? ElementConversion.SizeOf(Type) : RecordBytes;

    /// <summary>Number of data bytes.</summary>
    public long DataBytes => Count * ItemBytes;

    /// <summary>Size of the first dimension.</summary>
    public int Rows => Shape[0];

    /// <summary>Product of the dimensions after the first.</summary>
    public long RowLength => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>The number of bytes a file holding exactly this header and its data has.</summary>
    public long FileBytes => DataOffset + DataBytes;

    /// <summary>
    /// The one length rule of IDX and NPY, shared by the whole-file readers and the memory-mapped reader:
    /// the (uncompressed) file must end exactly where its data ends, neither before (truncated) nor after
    /// (trailing bytes, which would otherwise be read by one path and ignored by the other).
    /// </summary>
    /// <param name="fileBytes">The length of the file (or of the decompressed stream).</param>
    /// <param name="path">The file, named in the error.</param>
    /// <param name="format">The format's name in the error (IDX or NPY).</param>
    internal void CheckFileLength(long fileBytes, string path, string format)
    {
        long expected = FileBytes;
        string what = Fields is null ? Type.ToString() : $"{RecordBytes}-byte records";
        if (fileBytes < expected)
        {
            throw new DataFormatException(path, $"the file is truncated: the {format} shape [{string.Join(", ", Shape)}] of {what} needs {expected:N0} bytes but the file has {fileBytes:N0}.");
        }

        if (fileBytes > expected)
        {
            throw new DataFormatException(path, $"the file has {fileBytes - expected:N0} bytes after the data its {format} header describes (shape [{string.Join(", ", Shape)}] of {what}, {expected:N0} bytes).");
        }
    }
}
