using System.Buffers.Binary;

namespace Latent.Data;

/// <summary>Converts stored elements of any <see cref="ElementType"/> and byte order to float32, and back.</summary>
internal static class ElementConversion
{
    public static int SizeOf(ElementType type) => type switch
    {
        ElementType.UInt8 or ElementType.Int8 => 1,
        ElementType.Int16 => 2,
        ElementType.Int32 or ElementType.Float32 => 4,
        _ => 8,
    };

    /// <summary>Decodes <paramref name="destination"/>.Length elements from <paramref name="source"/>.</summary>
    public static void ToFloat(ReadOnlySpan<byte> source, ElementType type, bool bigEndian, Span<float> destination)
    {
        int n = destination.Length;
        switch (type)
        {
            case ElementType.UInt8:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = source[i];
                }

                break;
            case ElementType.Int8:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case ElementType.Int16:
                for (int i = 0; i < n; i++)
                {
                    var s = source.Slice(i * 2, 2);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s);
                }

                break;
            case ElementType.Int32:
                for (int i = 0; i < n; i++)
                {
                    var s = source.Slice(i * 4, 4);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s);
                }

                break;
            case ElementType.Int64:
                for (int i = 0; i < n; i++)
                {
                    var s = source.Slice(i * 8, 8);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s);
                }

                break;
            case ElementType.Float32:
                if (!bigEndian && BitConverter.IsLittleEndian)
                {
                    source[..(n * 4)].CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination));
                    break;
                }

                for (int i = 0; i < n; i++)
                {
                    var s = source.Slice(i * 4, 4);
                    destination[i] = bigEndian ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s);
                }

                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    var s = source.Slice(i * 8, 8);
                    destination[i] = (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s));
                }

                break;
        }
    }

    /// <summary>
    /// Encodes <paramref name="values"/> as <paramref name="type"/>; integer types need integral values in
    /// range, so that a write never silently changes a number.
    /// </summary>
    public static void FromFloat(ReadOnlySpan<float> values, ElementType type, bool bigEndian, Span<byte> destination)
    {
        int size = SizeOf(type);
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            var d = destination.Slice(i * size, size);
            switch (type)
            {
                case ElementType.Float32:
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteSingleBigEndian(d, v);
                    }
                    else
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(d, v);
                    }

                    break;
                case ElementType.Float64:
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteDoubleBigEndian(d, v);
                    }
                    else
                    {
                        BinaryPrimitives.WriteDoubleLittleEndian(d, v);
                    }

                    break;
                default:
                    long integer = CheckInteger(v, type, i);
                    WriteInteger(d, integer, type, bigEndian);
                    break;
            }
        }
    }

    private static long CheckInteger(float v, ElementType type, int index)
    {
        (double min, double max) = type switch
        {
            ElementType.UInt8 => (byte.MinValue, byte.MaxValue),
            ElementType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            ElementType.Int16 => (short.MinValue, short.MaxValue),
            ElementType.Int32 => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, (double)long.MaxValue),
        };
        if (!float.IsFinite(v) || v != MathF.Round(v) || v < min || v > max)
        {
            throw new ArgumentException($"Element {index} is {v}, which {type} cannot hold exactly.", nameof(v));
        }

        return (long)v;
    }

    private static void WriteInteger(Span<byte> d, long value, ElementType type, bool bigEndian)
    {
        switch (type)
        {
            case ElementType.UInt8:
            case ElementType.Int8:
                d[0] = unchecked((byte)value);
                break;
            case ElementType.Int16:
                if (bigEndian)
                {
                    BinaryPrimitives.WriteInt16BigEndian(d, (short)value);
                }
                else
                {
                    BinaryPrimitives.WriteInt16LittleEndian(d, (short)value);
                }

                break;
            case ElementType.Int32:
                if (bigEndian)
                {
                    BinaryPrimitives.WriteInt32BigEndian(d, (int)value);
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(d, (int)value);
                }

                break;
            default:
                if (bigEndian)
                {
                    BinaryPrimitives.WriteInt64BigEndian(d, value);
                }
                else
                {
                    BinaryPrimitives.WriteInt64LittleEndian(d, value);
                }

                break;
        }
    }
}
