using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Serialization;

/// <summary>
/// The size limits every reader checks before it allocates, and the shared helpers that enforce them.
/// </summary>
/// <remarks>
/// A header is untrusted: a file that claims 2^40 elements must give a <see cref="DataFormatException"/>,
/// not an out-of-memory. Every claimed size is checked against <see cref="MaxElements"/> and against the
/// bytes actually present (for compressed input, the decompressed stream is read into a buffer sized from
/// the checked header and must end exactly there).
/// </remarks>
public static class FormatLimits
{
    /// <summary>The most elements one array may hold (the .NET array limit, just under 2^31).</summary>
    public static int MaxElements => Array.MaxLength;

    /// <summary>The largest file read whole into memory (the .NET array limit).</summary>
    public static long MaxFileBytes => Array.MaxLength;

    /// <summary>The product of <paramref name="shape"/>, or an error naming the file when it exceeds <paramref name="limit"/>.</summary>
    internal static long CheckedProduct(ReadOnlySpan<long> shape, long limit, string path, string what)
    {
        long product = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new DataFormatException(path, $"{what} has a negative size {d}.");
            }

            if (d != 0 && product > limit / d)
            {
                throw new DataFormatException(path, $"{what} of shape [{string.Join(", ", shape.ToArray())}] is larger than the limit of {limit:N0} elements.");
            }

            product *= d;
        }

        return product > limit
            ? throw new DataFormatException(path, $"{what} of shape [{string.Join(", ", shape.ToArray())}] is larger than the limit of {limit:N0} elements.")
            : product;
    }

    /// <summary>Reads a whole file, with a clear error when it is missing or too large to hold.</summary>
    internal static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new DataFormatException(path, $"the file is {length:N0} bytes, more than the {MaxFileBytes:N0} that can be read whole; open it memory-mapped instead.");
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>Whether <paramref name="bytes"/> start with the gzip magic 1F 8B.</summary>
    internal static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;

    /// <summary>Opens gzip data for exact-length reads, so a header can be checked before the payload is sized.</summary>
    internal static GzipReader OpenGzip(byte[] compressed, string path) => new(compressed, path);

    /// <summary>Reads a big-endian unsigned 32-bit integer.</summary>
    internal static uint ReadUInt32BigEndian(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32BigEndian(bytes);

    /// <summary>Incremental gzip decompression with exact-length reads and a clean error for corrupt streams.</summary>
    internal sealed class GzipReader : IDisposable
    {
        private readonly GZipStream _stream;
        private readonly string _path;

        public GzipReader(byte[] compressed, string path)
        {
            _stream = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            _path = path;
        }

        /// <summary>Fills <paramref name="destination"/> exactly, or reports how many bytes were missing.</summary>
        public void ReadExactly(Span<byte> destination, string what)
        {
            int total = 0;
            try
            {
                while (total < destination.Length)
                {
                    int read = _stream.Read(destination[total..]);
                    if (read == 0)
                    {
                        throw new DataFormatException(_path, $"the compressed data ends after {total:N0} of the {destination.Length:N0} bytes of the {what}.");
                    }

                    total += read;
                }
            }
            catch (InvalidDataException exception)
            {
                throw new DataFormatException(_path, $"the gzip stream is corrupt ({exception.Message.TrimEnd('.')}).", exception);
            }
        }

        /// <summary>Errors when the decompressed data runs on past what the header described.</summary>
        public void ExpectEnd()
        {
            Span<byte> probe = stackalloc byte[1];
            int read;
            try
            {
                read = _stream.Read(probe);
            }
            catch (InvalidDataException exception)
            {
                throw new DataFormatException(_path, $"the gzip stream is corrupt ({exception.Message.TrimEnd('.')}).", exception);
            }

            if (read != 0)
            {
                throw new DataFormatException(_path, "the decompressed data is longer than its header says.");
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
