using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetClassical;

/// <summary>
/// Reads an IDX image file (optionally gzip-compressed) into rows of grey levels scaled to [0, 1]. Read here in a few
/// lines rather than through Latent's reader so that this peer depends on nothing of the code it is compared with;
/// it reads the bytes exactly as bench/peers/sklearn_classical.py does (magic, count, then rows of unsigned bytes).
/// </summary>
internal static class IdxImages
{
    /// <summary>The rows of the file at <paramref name="path"/>, each image flattened and divided by 255.</summary>
    public static float[][] Load(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] raw = buffer.ToArray();

        // The magic number's third byte is the element type (0x08: unsigned byte), its fourth the number of dimensions.
        if (raw.Length < 4 || raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08)
        {
            throw new InvalidDataException($"{path} is not an IDX file of unsigned bytes.");
        }

        int dimensions = raw[3];
        int count = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
        int width = 1;
        for (int d = 1; d < dimensions; d++)
        {
            width *= BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + (4 * d)));
        }

        int offset = 4 + (4 * dimensions);
        if (raw.Length != offset + ((long)count * width))
        {
            throw new InvalidDataException($"{path}: {raw.Length - offset} bytes of data for {count} x {width}.");
        }

        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var row = new float[width];
            ReadOnlySpan<byte> source = raw.AsSpan(offset + (i * width), width);
            for (int j = 0; j < width; j++)
            {
                row[j] = source[j] / 255f;
            }

            rows[i] = row;
        }

        return rows;
    }
}
