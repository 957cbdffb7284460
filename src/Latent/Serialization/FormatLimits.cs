using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Serialization;

/// <summary>
/// The size limits every reader checks before it allocates, and the shared helpers that enforce them.
/// </summary>
/// <remarks>
/// A header is untrusted: a file that claims 2^40 elements must give a <see cref="DataFormatException"/>,
/// not an out-of-memory. Every claimed size is checked against <see cref="MaxElements"/> and against the
/// bytes actually present (for compressed input, a claim beyond what the compressed bytes can plausibly hold
/// is only believed as its bytes arrive, and the stream must end exactly there). Inputs of unknown length
/// (pipes, devices) are read behind <see cref="MaxStreamBytes"/>, and a decoded size is checked against the
/// memory the process may use (<see cref="CheckMemory"/>) before it is allocated.
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

    /// <summary>
    /// Errors when <paramref name="bytes"/> more bytes cannot fit in the memory this process may still use
    /// (the GC's limit: physical memory, a container's limit or <c>DOTNET_GCHeapHardLimit</c>), so that a
    /// file whose content is valid but decodes to more than memory holds gives an error, not an out-of-memory.
    /// </summary>
    internal static void CheckMemory(long bytes, string path, string what)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false);
        if (bytes > available)
        {
            throw new DataFormatException(path, $"{what} needs {bytes / 1048576.0:N0} MiB but this process can use only {Math.Max(0, available) / 1048576.0:N0} MiB more.");
        }
    }

    /// <summary>
    /// The most bytes read from an input whose length is not known in advance (a pipe, a device, a
    /// <c>/proc</c> file): 64 MiB, so that a symlink to <c>/dev/zero</c> ends in an error, not an out-of-memory, even
    /// in a process whose heap is capped at 1 GiB (a larger input is read from a regular file, whose size is known).
    /// </summary>
    public static long MaxStreamBytes => 1L << 26;

    /// <summary>
    /// Reads a whole file, with a clear error when it is missing or too large to hold; memory never exceeds
    /// the bytes really read.
    /// </summary>
    /// <remarks>
    /// A regular file's length is checked against <see cref="MaxFileBytes"/> before the buffer is sized from
    /// it, and the file must end where its length said. Anything whose length is unknown (a FIFO, a character
    /// device, a file that reports 0 bytes) is read in chunks and refused once it passes <see cref="MaxStreamBytes"/>.
    /// </remarks>
    internal static byte[] ReadFile(string path) => ReadFile(path, MaxStreamBytes);

    /// <summary>
    /// Fills <paramref name="bytes"/> from <paramref name="stream"/>, a length known in advance: returns how many bytes
    /// were read (fewer when the stream ended early) and, in <paramref name="more"/>, whether bytes follow them.
    /// </summary>
    internal static int ReadExpected(Stream stream, byte[] bytes, out bool more)
    {
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        Span<byte> probe = stackalloc byte[1];
        more = read == bytes.Length && stream.Read(probe) != 0;
        return read;
    }

    /// <summary><see cref="ReadFile(string)"/> with an explicit cap for inputs of unknown length (for tests).</summary>
    internal static byte[] ReadFile(string path, long streamCap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.CanSeek ? stream.Length : 0;
        if (length > MaxFileBytes)
        {
            throw new DataFormatException(path, $"the file is {length:N0} bytes, more than the {MaxFileBytes:N0} that can be read whole; open it memory-mapped instead.");
        }

        if (length > 0)
        {
            var bytes = new byte[length];
            int total = ReadExpected(stream, bytes, out bool more);
            if (total < bytes.Length)
            {
                throw new DataFormatException(path, $"the file ended after {total:N0} of its {length:N0} bytes (was it truncated while being read?).");
            }

            if (more)
            {
                throw new DataFormatException(path, $"the file holds more than the {length:N0} bytes its size says (is it growing, or not a regular file?).");
            }

            return bytes;
        }

        return ReadCapped(stream, Math.Min(streamCap, MaxFileBytes), path);
    }

    /// <summary>
    /// Opens a file to be streamed: a regular file as it is (its content bounds what is read), anything of
    /// unknown length (a pipe, a device) behind a cap of <see cref="MaxStreamBytes"/>.
    /// </summary>
    internal static Stream OpenStream(string path) => OpenStream(path, MaxStreamBytes);

    /// <summary><see cref="OpenStream(string)"/> with an explicit cap (for tests).</summary>
    internal static Stream OpenStream(string path, long streamCap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return stream.CanSeek && stream.Length > 0 ? stream : new CappedStream(stream, streamCap, path);
    }

    /// <summary>
    /// Opens a file whose length a reader must check (header-only and memory-mapped reads), or an error when
    /// the length cannot be known (a pipe) or the file is not a regular file with content (a device reports 0).
    /// </summary>
    internal static FileStream OpenWithLength(string path, out long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var stream = File.OpenRead(path);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new DataFormatException(path, "the input is a pipe or device, whose length cannot be checked; copy it to a regular file.");
        }

        length = stream.Length;
        return stream;
    }

    // Chunks instead of a doubling buffer: the peak is the bytes read plus one copy, never a 2^k overshoot.
    private static byte[] ReadCapped(Stream stream, long cap, string path)
    {
        const int ChunkBytes = 1 << 20;
        var chunks = new List<byte[]>();
        long total = 0;
        while (true)
        {
            // The chunks and their final copy must both fit: refuse, naming the input, before the heap runs out.
            CheckMemory(2 * (total + ChunkBytes), path, "the input read so far from a stream of unknown length");
            var chunk = new byte[ChunkBytes];
            int filled = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (total + filled > cap)
            {
                throw new DataFormatException(path, $"the input is not a regular file and runs past the limit of {cap:N0} bytes read from a stream of unknown length; copy it to a regular file.");
            }

            if (filled > 0)
            {
                chunks.Add(chunk);
                total += filled;
            }

            if (filled < chunk.Length)
            {
                break;
            }
        }

        var bytes = new byte[total];
        long offset = 0;
        foreach (var chunk in chunks)
        {
            int n = (int)Math.Min(chunk.Length, total - offset);
            chunk.AsSpan(0, n).CopyTo(bytes.AsSpan((int)offset));
            offset += n;
        }

        return bytes;
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
