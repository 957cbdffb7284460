using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Reads and writes IDX files, the MNIST format, raw or gzip-compressed (detected from the content).
/// </summary>
/// <remarks>
/// Layout: magic <c>00 00 TT NN</c> (TT the element type: 08 uint8, 09 int8, 0B int16, 0C int32, 0D float32,
/// 0E float64; NN the number of dimensions), NN big-endian uint32 sizes, then the elements, big-endian,
/// row-major. Every size is checked against <see cref="FormatLimits.MaxElements"/> and the bytes present
/// before anything is allocated.
/// </remarks>
public static class Idx
{
    /// <summary>The most dimensions accepted.</summary>
    public const int MaxRank = 16;

    // Deflate cannot expand data more than about 1032:1; a header claiming more than that is a lie.
    private const long MaxDeflateRatio = 1032;
    private const int ChunkBytes = 1 << 16;

    // Real data rarely compresses more than this; a larger claim is only believed as its bytes arrive.
    private const long TrustedRatio = 32;

    /// <summary>Reads an IDX file (raw or gzip) into float32 values.</summary>
    public static NumericArray Read(string path) => Parse(FormatLimits.ReadFile(path), path);

    /// <summary>Parses the bytes of an IDX file (raw or gzip); <paramref name="path"/> names it in errors.</summary>
    public static NumericArray Parse(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (FormatLimits.IsGzip(bytes))
        {
            return ParseGzip(bytes, path);
        }

        var header = ParseHeader(bytes, path);
        header.CheckFileLength(bytes.Length, path, "IDX");
        FormatLimits.CheckMemory(4 * header.Count, path, $"the IDX array [{string.Join(", ", header.Shape)}]");
        var values = new float[header.Count];
        ElementConversion.ToFloat(bytes.AsSpan((int)header.DataOffset), header.Type, bigEndian: true, values);
        return new NumericArray(header.Shape, values, header.Type);
    }

    /// <summary>Reads only the header of an IDX file (raw or gzip), cheaply; a raw file must hold exactly its data, as for <see cref="Read"/>.</summary>
    public static ArrayHeader ReadHeader(string path)
    {
        using var file = FormatLimits.OpenWithLength(path, out long length);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        Stream stream = got == 2 && FormatLimits.IsGzip(magic) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using (stream)
        {
            var prefix = new byte[4 + (4 * MaxRank)];
            int read;
            try
            {
                read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException exception)
            {
                throw new DataFormatException(path, $"the gzip stream is corrupt ({exception.Message.TrimEnd('.')}).", exception);
            }

            var header = ParseHeader(prefix.AsSpan(0, read), path);
            if (ReferenceEquals(stream, file))
            {
                header.CheckFileLength(length, path, "IDX");
            }

            return header;
        }
    }

    /// <summary>Parses an IDX header from the first bytes of the (uncompressed) file.</summary>
    public static ArrayHeader ParseHeader(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 4)
        {
            throw new DataFormatException(path, $"an IDX file starts with a 4-byte magic number, but only {bytes.Length} bytes are present.");
        }

        if (bytes[0] != 0 || bytes[1] != 0)
        {
            throw new DataFormatException(path, $"wrong magic {bytes[0]:X2} {bytes[1]:X2} {bytes[2]:X2} {bytes[3]:X2}: an IDX file starts with 00 00, the type and the rank.");
        }

        var type = bytes[2] switch
        {
            0x08 => ElementType.UInt8,
            0x09 => ElementType.Int8,
            0x0B => ElementType.Int16,
            0x0C => ElementType.Int32,
            0x0D => ElementType.Float32,
            0x0E => ElementType.Float64,
            _ => throw new DataFormatException(path, $"unknown IDX element type 0x{bytes[2]:X2} (expected 08, 09, 0B, 0C, 0D or 0E)."),
        };
        int rank = bytes[3];
        if (rank is < 1 or > MaxRank)
        {
            throw new DataFormatException(path, $"the IDX header has {rank} dimensions; Latent reads 1 to {MaxRank}.");
        }

        if (bytes.Length < 4 + (4 * rank))
        {
            throw new DataFormatException(path, $"the file is truncated inside its header ({rank} dimensions need {4 + (4 * rank)} bytes).");
        }

        var shape = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + (4 * i))..]);
        }

        FormatLimits.CheckedProduct(shape, FormatLimits.MaxElements, path, "the IDX array");
        return new ArrayHeader(type, true, shape.Select(d => (int)d).ToArray(), 4 + (4 * rank));
    }

    /// <summary>Writes an IDX file, gzip-compressed when <paramref name="gzip"/>, atomically.</summary>
    /// <remarks>Integer element types need integral values in range; anything else is an <see cref="ArgumentException"/>.</remarks>
    public static void Write(string path, NumericArray array, ElementType type = ElementType.UInt8, bool gzip = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        if (type == ElementType.Int64)
        {
            throw new ArgumentException("IDX has no 64-bit integer type.", nameof(type));
        }

        if (array.Shape.Length > MaxRank)
        {
            throw new ArgumentException($"IDX holds at most {MaxRank} dimensions.", nameof(array));
        }

        int size = ElementConversion.SizeOf(type);
        var header = new byte[4 + (4 * array.Shape.Length)];
        header[2] = type switch
        {
            ElementType.UInt8 => 0x08,
            ElementType.Int8 => 0x09,
            ElementType.Int16 => 0x0B,
            ElementType.Int32 => 0x0C,
            ElementType.Float32 => 0x0D,
            _ => 0x0E,
        };
        header[3] = (byte)array.Shape.Length;
        for (int i = 0; i < array.Shape.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + (4 * i)), (uint)array.Shape[i]);
        }

        // Encode first, so a value the type cannot hold fails before any file is touched.
        var data = new byte[(long)array.Values.Length * size];
        ElementConversion.FromFloat(array.Values, type, bigEndian: true, data);
        AtomicFile.Write(path, stream =>
        {
            if (gzip)
            {
                using var compressed = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                compressed.Write(header);
                compressed.Write(data);
            }
            else
            {
                stream.Write(header);
                stream.Write(data);
            }
        });
    }

    private static NumericArray ParseGzip(byte[] bytes, string path)
    {
        using var reader = FormatLimits.OpenGzip(bytes, path);
        var prefix = new byte[4];
        reader.ReadExactly(prefix, "IDX header");
        int rank = prefix[3];
        var headerBytes = new byte[4 + (4 * Math.Clamp(rank, 0, MaxRank))];
        prefix.CopyTo(headerBytes, 0);
        if (rank is >= 1 and <= MaxRank)
        {
            reader.ReadExactly(headerBytes.AsSpan(4), "IDX header");
        }

        var header = ParseHeader(headerBytes, path);
        if (header.DataBytes > (bytes.Length * MaxDeflateRatio) + 1024)
        {
            throw new DataFormatException(path, $"the header claims {header.DataBytes:N0} bytes of data, more than {bytes.Length:N0} compressed bytes can hold.");
        }

        // A claim within deflate's ratio can still be a lie (random bytes claiming 1032 times their size):
        // unless the claim is modest for its compressed size, values are gathered in blocks as they really
        // arrive and copied once at the end, so memory follows the data present, not the header.
        FormatLimits.CheckMemory(4 * header.Count, path, $"the IDX array [{string.Join(", ", header.Shape)}]");
        int size = ElementConversion.SizeOf(header.Type);
        int perChunk = ChunkBytes / size;
        var chunk = new byte[perChunk * size];
        var converted = new float[perChunk];
        bool upfront = header.DataBytes <= (long)bytes.Length * TrustedRatio;
        var values = upfront ? new float[header.Count] : null;
        var blocks = upfront ? null : new FloatBlocks();
        for (long start = 0; start < header.Count; start += perChunk)
        {
            int n = (int)Math.Min(perChunk, header.Count - start);
            reader.ReadExactly(chunk.AsSpan(0, n * size), "IDX data");
            var destination = values is null ? converted.AsSpan(0, n) : values.AsSpan((int)start, n);
            ElementConversion.ToFloat(chunk, header.Type, bigEndian: true, destination);
            if (blocks is not null)
            {
                blocks.AddRange(destination);
            }
        }

        if (blocks is not null)
        {
            values = new float[header.Count];
            blocks.CopyTo(values);
        }

        reader.ExpectEnd();
        return new NumericArray(header.Shape, values!, header.Type);
    }
}
