using System.Globalization;
using System.Text;

namespace Latent.Data;

/// <summary>
/// Parses the subset of Python literals an NPY header is written in: dicts, lists, tuples, strings,
/// integers (with Python 2's <c>L</c> suffix), <c>True</c>, <c>False</c> and <c>None</c>.
/// </summary>
/// <remarks>
/// Lists and tuples both become <see cref="List{T}"/>; a dict becomes a <see cref="Dictionary{TKey, TValue}"/>
/// with string keys. Nesting is bounded so that a hostile header cannot overflow the stack.
/// </remarks>
internal sealed class PythonLiteral
{
    private const int MaxDepth = 32;
    private readonly string _text;
    private int _position;

    private PythonLiteral(string text)
    {
        _text = text;
    }

    /// <summary>The value <paramref name="text"/> spells, or a <see cref="FormatException"/> saying where it stops being a literal.</summary>
    public static object? Parse(string text)
    {
        var parser = new PythonLiteral(text);
        object? value = parser.Value(0);
        parser.SkipSpace();
        return parser._position == text.Length ? value : throw parser.Error("text after the literal");
    }

    private object? Value(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth}");
        }

        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("the text ends where a value was expected");
        }

        char c = _text[_position];
        switch (c)
        {
            case '{':
                return Dict(depth);
            case '[':
                return Sequence(']', depth);
            case '(':
                return Sequence(')', depth);
            case '\'' or '"':
                return String();
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return Integer();
        }

        foreach (var (word, value) in new (string, object?)[] { ("True", true), ("False", false), ("None", null) })
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0)
            {
                _position += word.Length;
                return value;
            }
        }

        throw Error($"unexpected '{c}'");
    }

    private Dictionary<string, object?> Dict(int depth)
    {
        _position++;
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (!Closes('}'))
        {
            object? key = Value(depth + 1);
            if (key is not string name)
            {
                throw Error("a dict key that is not a string");
            }

            Expect(':');
            if (!dict.TryAdd(name, Value(depth + 1)))
            {
                throw Error($"the key '{name}' given twice");
            }

            if (!Separator('}'))
            {
                break;
            }
        }

        return dict;
    }

    private List<object?> Sequence(char close, int depth)
    {
        _position++;
        var items = new List<object?>();
        while (!Closes(close))
        {
            items.Add(Value(depth + 1));
            if (!Separator(close))
            {
                break;
            }
        }

        return items;
    }

    // After an item: a comma (more may follow) or the closing bracket (consumed; the sequence ends).
    private bool Separator(char close)
    {
        SkipSpace();
        if (_position < _text.Length && _text[_position] == ',')
        {
            _position++;
            return true;
        }

        Expect(close);
        return false;
    }

    private bool Closes(char close)
    {
        SkipSpace();
        if (_position < _text.Length && _text[_position] == close)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char expected)
    {
        SkipSpace();
        if (_position >= _text.Length || _text[_position] != expected)
        {
            throw Error($"'{expected}' expected");
        }

        _position++;
    }

    private string String()
    {
        char quote = _text[_position++];
        var builder = new StringBuilder();
        while (_position < _text.Length && _text[_position] != quote)
        {
            char c = _text[_position++];
            if (c == '\\' && _position < _text.Length)
            {
                c = _text[_position++];
            }

            builder.Append(c);
        }

        if (_position >= _text.Length)
        {
            throw Error("a string that is not closed");
        }

        _position++;
        return builder.ToString();
    }

    private long Integer()
    {
        int start = _position;
        if (_text[_position] == '-')
        {
            _position++;
        }

        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        string digits = _text[start.._position];
        if (_position < _text.Length && _text[_position] == 'L')
        {
            _position++;
        }

        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Error($"'{digits}' is not a 64-bit integer");
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string problem) => new($"{problem} at character {_position}");
}
