using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Reads and writes PNG images: grey, grey+alpha, RGB, RGBA and palette, at every bit depth (1 to 16 bits
/// are converted to 8); interlaced images are refused with a clear error.
/// </summary>
/// <remarks>
/// Every chunk's CRC-32 is checked. The pixel data (the IDAT chunks, zlib-compressed) is decompressed into a
/// buffer sized from the header only after the size is checked against <see cref="MaxPixels"/> and against
/// what the compressed bytes could possibly expand to; the stream must end exactly there. The writer picks,
/// row by row, the filter (none, sub, up, average, Paeth) with the smallest sum of absolute differences.
/// </remarks>
public static class Png
{
    /// <summary>The largest image accepted, in pixels (2^28: a 16384 × 16384 image).</summary>
    public const long MaxPixels = 1L << 28;

    private const long MaxDeflateRatio = 1032;
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads a PNG file as 8-bit samples.</summary>
    public static PngImage Read(string path) => Decode(FormatLimits.ReadFile(path), path);

    /// <summary>
    /// Reads only the signature and IHDR chunk of a PNG file (33 bytes), checking the declared size against
    /// <see cref="MaxPixels"/> and against what the whole file could decompress to, so that a folder of images
    /// can be sized and refused before any of them is decoded.
    /// </summary>
    internal static PngHeader ReadHeader(string path)
    {
        using var stream = FormatLimits.OpenWithLength(path, out long length);
        var start = new byte[Signature.Length + 25];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        var bytes = start.AsSpan(0, read);
        if (bytes.Length < Signature.Length || !bytes[..Signature.Length].SequenceEqual(Signature))
        {
            throw new DataFormatException(path, "wrong signature: not a PNG file.");
        }

        if (bytes.Length < start.Length)
        {
            throw new DataFormatException(path, "the file is truncated inside its IHDR chunk.");
        }

        var chunk = bytes[Signature.Length..];
        string type = ChunkName(chunk.Slice(4, 4));
        if (type != "IHDR")
        {
            throw new DataFormatException(path, $"the first chunk is {type}, not IHDR.");
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(chunk[21..]);
        uint actual = Crc32.Compute(chunk.Slice(4, 17));
        if (BinaryPrimitives.ReadUInt32BigEndian(chunk) != 13 || stored != actual)
        {
            throw new DataFormatException(path, $"the IHDR chunk is damaged (length {BinaryPrimitives.ReadUInt32BigEndian(chunk):N0}, CRC stored {stored:X8}, computed {actual:X8}).");
        }

        var header = ParseHeader(chunk.Slice(8, 13), path);
        CheckCompressedSize(header, length, path);
        return header;
    }

    /// <summary>Decodes the bytes of a PNG file; <paramref name="path"/> names it in errors.</summary>
    public static PngImage Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < Signature.Length || !bytes[..Signature.Length].SequenceEqual(Signature))
        {
            throw new DataFormatException(path, "wrong signature: not a PNG file.");
        }

        PngHeader? header = null;
        byte[]? palette = null;
        byte[]? transparency = null;
        var compressed = new MemoryStream();
        bool ended = false;
        int position = Signature.Length;
        while (!ended)
        {
            if (bytes.Length - position < 12)
            {
                throw new DataFormatException(path, "the file is truncated (no IEND chunk).");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes[position..]);
            if (length > int.MaxValue || length > bytes.Length - position - 12)
            {
                throw new DataFormatException(path, $"a chunk claims {length:N0} bytes but {bytes.Length - position - 12:N0} remain (truncated file?).");
            }

            var typeBytes = bytes.Slice(position + 4, 4);
            var data = bytes.Slice(position + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 8 + (int)length)..]);
            uint actual = Crc32.Compute(bytes.Slice(position + 4, 4 + (int)length));
            string type = ChunkName(typeBytes);
            if (stored != actual)
            {
                throw new DataFormatException(path, $"bad CRC in chunk {type} at byte {position} (stored {stored:X8}, computed {actual:X8}).");
            }

            position += 12 + (int)length;
            if (header is null && type != "IHDR")
            {
                throw new DataFormatException(path, $"the first chunk is {type}, not IHDR.");
            }

            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw new DataFormatException(path, "the file has two IHDR chunks.");
                    }

                    header = ParseHeader(data, path);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768)
                    {
                        throw new DataFormatException(path, $"the palette has {length} bytes; it must hold 1 to 256 RGB entries.");
                    }

                    palette = data.ToArray();
                    break;
                case "tRNS":
                    transparency = data.ToArray();
                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if (type.StartsWith("0x", StringComparison.Ordinal))
                    {
                        throw new DataFormatException(path, $"invalid chunk type {type} at byte {position - 12 - (int)length}.");
                    }

                    if (char.IsUpper(type[0]))
                    {
                        throw new DataFormatException(path, $"unknown critical chunk {type}.");
                    }

                    break;
            }
        }

        var h = header!;
        if (h.ColorType == 3 && palette is null)
        {
            throw new DataFormatException(path, "a palette image has no PLTE chunk.");
        }

        if (compressed.Length == 0)
        {
            throw new DataFormatException(path, "the image has no IDAT data.");
        }

        int samples = h.Samples;
        long stride = h.Stride;
        CheckCompressedSize(h, compressed.Length, path);
        FormatLimits.CheckMemory(h.RawBytes + ((long)h.Width * h.Height * 4), path, $"a {h.Width}×{h.Height} image");
        var raw = Inflate(compressed, (int)h.RawBytes, path);
        Unfilter(raw, h.Height, (int)stride, Math.Max(1, samples * h.BitDepth / 8), path);
        return Expand(raw, h, samples, (int)stride, palette, transparency, path);
    }

    /// <summary>Writes <paramref name="image"/> as an 8-bit PNG, atomically.</summary>
    public static void Write(string path, PngImage image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Encode(image);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The bytes of an 8-bit PNG holding <paramref name="image"/>.</summary>
    public static byte[] Encode(PngImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte colorType = image.Color switch { PngColor.Grey => 0, PngColor.GreyAlpha => 4, PngColor.Rgb => 2, _ => 6 };
        return EncodeRaw(image.Width, image.Height, colorType, image.Channels, image.Pixels, null, null);
    }

    /// <summary>Writes a palette image (8-bit indices into up to 256 RGB entries, optional alpha per entry), atomically.</summary>
    public static void WriteIndexed(string path, int width, int height, byte[] indices, byte[] paletteRgb, byte[]? paletteAlpha = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = EncodeIndexed(width, height, indices, paletteRgb, paletteAlpha);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The bytes of a palette PNG; see <see cref="WriteIndexed"/>.</summary>
    public static byte[] EncodeIndexed(int width, int height, byte[] indices, byte[] paletteRgb, byte[]? paletteAlpha = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(paletteRgb);
        if (paletteRgb.Length % 3 != 0 || paletteRgb.Length is 0 or > 768)
        {
            throw new ArgumentException("The palette holds 1 to 256 RGB triples.", nameof(paletteRgb));
        }

        if (paletteAlpha is not null && paletteAlpha.Length > paletteRgb.Length / 3)
        {
            throw new ArgumentException("More alpha values than palette entries.", nameof(paletteAlpha));
        }

        if ((long)width * height != indices.Length)
        {
            throw new ArgumentException($"A {width}×{height} image has {(long)width * height} indices, not {indices.Length}.", nameof(indices));
        }

        int entries = paletteRgb.Length / 3;
        foreach (byte index in indices)
        {
            if (index >= entries)
            {
                throw new ArgumentException($"Index {index} is outside the palette of {entries} entries.", nameof(indices));
            }
        }

        return EncodeRaw(width, height, 3, 1, indices, paletteRgb, paletteAlpha);
    }

    private static byte[] EncodeRaw(int width, int height, byte colorType, int channels, byte[] pixels, byte[]? palette, byte[]? alpha)
    {
        var output = new MemoryStream();
        output.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;
        ihdr[9] = colorType;
        WriteChunk(output, "IHDR", ihdr);
        if (palette is not null)
        {
            WriteChunk(output, "PLTE", palette);
            if (alpha is { Length: > 0 })
            {
                WriteChunk(output, "tRNS", alpha);
            }
        }

        int stride = width * channels;
        var filtered = new byte[height * (stride + 1)];
        var candidate = new byte[stride];
        var best = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * stride, stride);
            var previous = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            long bestScore = long.MaxValue;
            byte bestFilter = 0;
            // Palette indices are not magnitudes, so filtering them rarely helps (the PNG spec's advice).
            int filters = colorType == 3 ? 1 : 5;
            for (byte filter = 0; filter < filters; filter++)
            {
                ApplyFilter(filter, row, previous, channels, candidate);
                long score = 0;
                foreach (byte b in candidate)
                {
                    // Bytes read as signed differences, the heuristic of the PNG specification.
                    int signed = (sbyte)b;
                    score += signed < 0 ? -signed : signed;
                }

                if (score < bestScore)
                {
                    (bestScore, bestFilter) = (score, filter);
                    candidate.CopyTo(best, 0);
                }
            }

            filtered[y * (stride + 1)] = bestFilter;
            best.CopyTo(filtered, (y * (stride + 1)) + 1);
        }

        var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(filtered);
        }

        WriteChunk(output, "IDAT", idat.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void ApplyFilter(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> output)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = previous.IsEmpty ? 0 : previous[i];
            int c = i >= bpp && !previous.IsEmpty ? previous[i - bpp] : 0;
            int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => Paeth(a, b, c) };
            output[i] = unchecked((byte)(row[i] - predictor));
        }
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static PngHeader ParseHeader(ReadOnlySpan<byte> data, string path)
    {
        if (data.Length != 13)
        {
            throw new DataFormatException(path, $"the IHDR chunk has {data.Length} bytes, not 13.");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        byte depth = data[8], colorType = data[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new DataFormatException(path, $"impossible image size {width}×{height}.");
        }

        if ((long)width * height > MaxPixels)
        {
            throw new DataFormatException(path, $"the image is {width}×{height}, more than the limit of {MaxPixels:N0} pixels.");
        }

        bool valid = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
        {
            throw new DataFormatException(path, $"colour type {colorType} with bit depth {depth} is not a valid PNG combination.");
        }

        if (data[10] != 0 || data[11] != 0)
        {
            throw new DataFormatException(path, $"unknown compression method {data[10]} or filter method {data[11]}.");
        }

        return data[12] switch
        {
            0 => new PngHeader((int)width, (int)height, depth, colorType),
            1 => throw new DataFormatException(path, "the image is interlaced (Adam7), which Latent does not read; save it without interlacing."),
            _ => throw new DataFormatException(path, $"unknown interlace method {data[12]}."),
        };
    }

    // Deflate expands at most about 1032:1, so a header claiming more than its compressed bytes can hold lies.
    private static void CheckCompressedSize(PngHeader h, long compressedBytes, string path)
    {
        if (h.RawBytes > (compressedBytes * MaxDeflateRatio) + 1024)
        {
            throw new DataFormatException(path, $"a {h.Width}×{h.Height} image needs {h.RawBytes:N0} bytes, more than {compressedBytes:N0} compressed bytes can hold.");
        }
    }

    private static byte[] Inflate(MemoryStream compressed, int size, string path)
    {
        compressed.Position = 0;
        var raw = new byte[size];
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            int total = 0;
            while (total < size)
            {
                int read = zlib.Read(raw, total, size - total);
                if (read == 0)
                {
                    throw new DataFormatException(path, $"the image data ends after {total:N0} of {size:N0} bytes.");
                }

                total += read;
            }

            if (zlib.Read(new byte[1], 0, 1) != 0)
            {
                throw new DataFormatException(path, "the image data is longer than the header says.");
            }
        }
        catch (InvalidDataException exception)
        {
            throw new DataFormatException(path, $"the compressed image data is corrupt ({exception.Message.TrimEnd('.')}).", exception);
        }

        return raw;
    }

    private static void Unfilter(byte[] raw, int height, int stride, int bpp, string path)
    {
        for (int y = 0; y < height; y++)
        {
            int start = (y * (stride + 1)) + 1;
            byte filter = raw[start - 1];
            var row = raw.AsSpan(start, stride);
            var previous = y > 0 ? raw.AsSpan(start - stride - 1, stride) : Span<byte>.Empty;
            switch (filter)
            {
                case 0:
                    break;
                case 1:
                    for (int i = bpp; i < stride; i++)
                    {
                        row[i] += row[i - bpp];
                    }

                    break;
                case 2:
                    if (!previous.IsEmpty)
                    {
                        for (int i = 0; i < stride; i++)
                        {
                            row[i] += previous[i];
                        }
                    }

                    break;
                case 3:
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0;
                        int b = previous.IsEmpty ? 0 : previous[i];
                        row[i] += (byte)((a + b) >> 1);
                    }

                    break;
                case 4:
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0;
                        int b = previous.IsEmpty ? 0 : previous[i];
                        int c = i >= bpp && !previous.IsEmpty ? previous[i - bpp] : 0;
                        row[i] += (byte)Paeth(a, b, c);
                    }

                    break;
                default:
                    throw new DataFormatException(path, $"row {y} has unknown filter type {filter}.");
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static PngImage Expand(byte[] raw, PngHeader h, int samples, int stride, byte[]? palette, byte[]? transparency, string path)
    {
        bool indexed = h.ColorType == 3;
        bool alphaPalette = indexed && transparency is { Length: > 0 };
        var color = h.ColorType switch
        {
            0 => PngColor.Grey,
            4 => PngColor.GreyAlpha,
            2 => PngColor.Rgb,
            3 => alphaPalette ? PngColor.Rgba : PngColor.Rgb,
            _ => PngColor.Rgba,
        };
        int outChannels = (int)color;
        var pixels = new byte[(long)h.Width * h.Height * outChannels];
        int entries = palette is null ? 0 : palette.Length / 3;
        int maxSample = (1 << h.BitDepth) - 1;
        for (int y = 0; y < h.Height; y++)
        {
            var row = raw.AsSpan((y * (stride + 1)) + 1, stride);
            for (int x = 0; x < h.Width; x++)
            {
                int o = ((y * h.Width) + x) * outChannels;
                for (int s = 0; s < samples; s++)
                {
                    int v = Sample(row, (x * samples) + s, h.BitDepth);
                    if (indexed)
                    {
                        if (v >= entries)
                        {
                            throw new DataFormatException(path, $"pixel ({x}, {y}) uses palette entry {v} but the palette has {entries}.");
                        }

                        pixels[o] = palette![3 * v];
                        pixels[o + 1] = palette[(3 * v) + 1];
                        pixels[o + 2] = palette[(3 * v) + 2];
                        if (alphaPalette)
                        {
                            pixels[o + 3] = v < transparency!.Length ? transparency[v] : (byte)255;
                        }
                    }
                    else
                    {
                        // Scale any depth to 0..255 with rounding: v·255/(2^depth − 1).
                        pixels[o + s] = h.BitDepth == 8 ? (byte)v : (byte)(((v * 255L) + (maxSample / 2)) / maxSample);
                    }
                }
            }
        }

        return new PngImage(h.Width, h.Height, color, pixels);
    }

    private static int Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
    {
        8 => row[index],
        16 => (row[2 * index] << 8) | row[(2 * index) + 1],
        _ => (row[index * depth / 8] >> (8 - depth - (index * depth % 8))) & ((1 << depth) - 1),
    };

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
        {
            if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')))
            {
                return $"0x{Convert.ToHexString(type)}";
            }
        }

        return Encoding.ASCII.GetString(type);
    }
}
