using Latent.Serialization;

namespace Latent.Data;

/// <summary>Splits text into lines at '\n' (as <c>string.Split('\n')</c> would), reusing one buffer.</summary>
/// <remarks>A line is bounded by <see cref="MaxLineChars"/>, so a file without line breaks cannot grow the buffer without end.</remarks>
internal sealed class CsvLineReader(TextReader reader, string path)
{
    /// <summary>The longest line accepted, in characters (64 Mi).</summary>
    public const int MaxLineChars = 1 << 26;

    private char[] _buffer = new char[1 << 16];
    private int _start;
    private int _end;
    private int _scanned;
    private bool _ended;
    private int _lines;

    /// <summary>The next line without its '\n', valid until the next call; false at the end of the text.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            // Only the characters not yet searched: a long line is scanned once, not once per read.
            int newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf('\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, _scanned + newline - _start);
                _start = _scanned = _scanned + newline + 1;
                _lines++;
                return true;
            }

            _scanned = _end;

            if (_ended)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                bool any = _end > _start;
                _start = _scanned = _end;
                return any;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _scanned -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxLineChars)
                {
                    throw new DataFormatException(path, $"line {_lines + 1} is longer than {MaxLineChars:N0} characters.");
                }

                Array.Resize(ref _buffer, Math.Min(MaxLineChars, _buffer.Length * 2));
            }

            int read = reader.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _ended = true;
            }
            else
            {
                _end += read;
            }
        }
    }
}
