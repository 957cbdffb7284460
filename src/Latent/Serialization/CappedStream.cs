namespace Latent.Serialization;

/// <summary>
/// A read-only stream over an input of unknown length (a pipe, a device) that errors, naming the file,
/// once more than a cap of bytes has been read, so that streaming readers stop instead of running forever.
/// </summary>
internal sealed class CappedStream(Stream inner, long cap, string path) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        return _read > cap
            ? throw new DataFormatException(path, $"the input is not a regular file and runs past the limit of {cap:N0} bytes read from a stream of unknown length; copy it to a regular file.")
            : n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
