namespace Latent.Data;

/// <summary>What an IDX or NPY header says: element type, byte order, shape and where the data starts.</summary>
/// <param name="Type">The stored element type.</param>
/// <param name="BigEndian">Whether multi-byte elements are big-endian (always for IDX).</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="DataOffset">Byte offset of the first element in the (uncompressed) file.</param>
public sealed record ArrayHeader(ElementType Type, bool BigEndian, int[] Shape, long DataOffset)
{
    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Number of data bytes.</summary>
    public long DataBytes => Count * ElementConversion.SizeOf(Type);

    /// <summary>Size of the first dimension.</summary>
    public int Rows => Shape[0];

    /// <summary>Product of the dimensions after the first.</summary>
    public long RowLength => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
}
