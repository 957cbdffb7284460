namespace Latent.Data;

/// <summary>One numeric field of the records of a structured NPY array.</summary>
/// <param name="Name">The field's name (the column name; <c>:label=NAME</c> picks it as the labels).</param>
/// <param name="Type">The element type of its values.</param>
/// <param name="BigEndian">Whether its multi-byte values are big-endian.</param>
/// <param name="Offset">Byte offset of the field inside a record.</param>
/// <param name="Count">How many values it holds per record (the product of its sub-array shape; 1 for a scalar).</param>
public sealed record NpyField(string Name, ElementType Type, bool BigEndian, int Offset, int Count)
{
    /// <summary>The bytes the field takes in a record.</summary>
    public int Bytes => Count * ElementConversion.SizeOf(Type);
}
