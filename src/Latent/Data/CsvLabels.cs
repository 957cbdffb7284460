using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// The label column of a CSV file, kept as one index per row into its distinct texts: numbers when every
/// text is a non-negative integer, otherwise class names numbered in ordinal order.
/// </summary>
internal sealed class CsvLabels
{
    private readonly List<string> _texts = [];
    private readonly List<int> _firstLines = [];
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private readonly List<int> _rows = [];

    /// <summary>Records the next row's label <paramref name="text"/>, read on <paramref name="line"/>.</summary>
    public void Add(ReadOnlySpan<char> text, int line)
    {
        var lookup = _indexOf.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out int index))
        {
            index = _texts.Count;
            string value = text.ToString();
            _texts.Add(value);
            _firstLines.Add(line);
            _indexOf.Add(value, index);
        }

        _rows.Add(index);
    }

    /// <summary>The label of every row, and the class names when the labels are text (else null).</summary>
    public (int[] Labels, string[]? ClassNames) Resolve(string path, int column, string columnName)
    {
        var numbers = new int[_texts.Count];
        string[]? classNames = null;
        if (_texts.All(t => Csv.TryNumber(t, out _)))
        {
            // The error names the first line holding a label that is not a non-negative integer.
            int bad = -1;
            for (int i = 0; i < _texts.Count; i++)
            {
                Csv.TryNumber(_texts[i], out double value);
                if (value != Math.Floor(value) || value < 0 || value > int.MaxValue)
                {
                    bad = bad < 0 || _firstLines[i] < _firstLines[bad] ? i : bad;
                }
                else
                {
                    numbers[i] = (int)value;
                }
            }

            if (bad >= 0)
            {
                throw new DataFormatException(path, $"line {_firstLines[bad]}, column {column + 1} ({columnName}): the label '{Csv.Shorten(_texts[bad])}' is not a non-negative integer.");
            }
        }
        else
        {
            classNames = [.. _texts.Order(StringComparer.Ordinal)];
            var rank = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
            for (int i = 0; i < _texts.Count; i++)
            {
                numbers[i] = rank[_texts[i]];
            }
        }

        var labels = new int[_rows.Count];
        for (int r = 0; r < labels.Length; r++)
        {
            labels[r] = numbers[_rows[r]];
        }

        return (labels, classNames);
    }
}
