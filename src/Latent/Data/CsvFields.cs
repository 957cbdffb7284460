using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// The fields of one CSV line, unquoted into a reused buffer: double quotes group, a doubled quote inside
/// is one quote, and the delimiter separates.
/// </summary>
internal sealed class CsvFields
{
    private char[] _text = new char[256];
    private int[] _bounds = new int[64];

    /// <summary>The number of fields of the last line split.</summary>
    public int Count { get; private set; }

    /// <summary>Field <paramref name="index"/> of the last line split, untrimmed.</summary>
    public ReadOnlySpan<char> this[int index] => _text.AsSpan(_bounds[index], _bounds[index + 1] - _bounds[index]);

    /// <summary>Splits <paramref name="line"/>, or errors on an unclosed quote naming the line.</summary>
    public void Split(ReadOnlySpan<char> line, char delimiter, string path, int lineNumber)
    {
        if (_text.Length < line.Length)
        {
            _text = new char[Math.Max(line.Length, _text.Length * 2)];
        }

        int length = 0;
        Count = 0;
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    _text[length++] = '"';
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    _text[length++] = c;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                EndField(length);
            }
            else
            {
                _text[length++] = c;
            }
        }

        if (quoted)
        {
            throw new DataFormatException(path, $"line {lineNumber}: a quoted field is not closed.");
        }

        EndField(length);
    }

    /// <summary>The fields of the last line split, as strings.</summary>
    public string[] ToStrings()
    {
        var strings = new string[Count];
        for (int i = 0; i < Count; i++)
        {
            strings[i] = this[i].ToString();
        }

        return strings;
    }

    // _bounds[i] is where field i starts; _bounds[Count] is where the last one ends.
    private void EndField(int end)
    {
        if (_bounds.Length < Count + 2)
        {
            Array.Resize(ref _bounds, _bounds.Length * 2);
        }

        if (Count == 0)
        {
            _bounds[0] = 0;
        }

        _bounds[++Count] = end;
    }
}
