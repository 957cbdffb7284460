using System.Globalization;
using System.Text;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Data;

/// <summary>Reads and writes numeric CSV files: one row per item, optional header, optional label column.</summary>
/// <remarks>
/// Labels are non-negative integers, or text: when any label is not a number, every label is a class name,
/// the classes numbered in ordinal order of their names (kept as <see cref="Dataset.ClassNames"/>).
/// Fields may be quoted with double quotes (a doubled quote inside is one quote). Blank lines are skipped.
/// A missing or non-numeric value is an error naming the file, the line and the column.
/// </remarks>
public static class Csv
{
    /// <summary>Reads a CSV file into a data set named after the file.</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = FormatLimits.ReadFile(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw new DataFormatException(path, "the file is not UTF-8 text.", exception);
        }

        return Parse(text, path, options);
    }

    /// <summary>Parses CSV text; <paramref name="path"/> names it in errors and is the data set's name.</summary>
    public static Dataset Parse(string text, string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new CsvOptions();
        var rows = new List<(int Line, string[] Fields)>();
        int lineNumber = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            lineNumber++;
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || (line.Trim().Length == 0 && options.Delimiter != ' '))
            {
                continue;
            }

            if (lineNumber == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            rows.Add((lineNumber, SplitFields(line, options.Delimiter, path, lineNumber)));
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException(path, "the CSV file has no rows.");
        }

        // With a label column given by index, a text label in the first row does not make it a header.
        bool hasHeader = options.Header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => rows[0].Fields.Where((_, i) => options.LabelColumn is not null || i != options.LabelIndex).Any(f => !TryNumber(f, out _)),
        };
        string[] names = hasHeader ? rows[0].Fields.Select(f => f.Trim()).ToArray() : Enumerable.Range(0, rows[0].Fields.Length).Select(i => $"column {i}").ToArray();
        int columns = rows[0].Fields.Length;
        int labelColumn = LabelColumn(options, names, hasHeader, path);
        int dimension = labelColumn >= 0 ? columns - 1 : columns;
        if (dimension == 0)
        {
            throw new DataFormatException(path, "the CSV file has no feature columns.");
        }

        int first = hasHeader ? 1 : 0;
        int count = rows.Count - first;
        if ((long)count * dimension > FormatLimits.MaxElements)
        {
            throw new DataFormatException(path, $"{count:N0} rows of {dimension} values exceed the limit of {FormatLimits.MaxElements:N0} elements.");
        }

        var features = Tensor.Zeros(count, dimension);
        string[]? labelTexts = labelColumn >= 0 ? new string[count] : null;
        var span = features.Span;
        for (int r = 0; r < count; r++)
        {
            var (line, fields) = rows[first + r];
            if (fields.Length != columns)
            {
                throw new DataFormatException(path, $"line {line} has {fields.Length} fields but the first row has {columns}.");
            }

            int f = 0;
            for (int c = 0; c < columns; c++)
            {
                string field = fields[c].Trim();
                if (field.Length == 0)
                {
                    throw new DataFormatException(path, $"line {line}, column {c + 1} ({names[c]}): the value is missing.");
                }

                if (c == labelColumn)
                {
                    labelTexts![r] = field;
                }
                else if (!TryNumber(field, out double value))
                {
                    throw new DataFormatException(path, $"line {line}, column {c + 1} ({names[c]}): '{Shorten(field)}' is not a number.");
                }

                else
                {
                    span[(r * dimension) + f++] = (float)value;
                }
            }
        }

        if (labelTexts is null)
        {
            return new Dataset(Path.GetFileNameWithoutExtension(path), features);
        }

        var labels = new int[count];
        if (labelTexts.All(t => TryNumber(t, out _)))
        {
            for (int r = 0; r < count; r++)
            {
                TryNumber(labelTexts[r], out double value);
                if (value != Math.Floor(value) || value < 0 || value > int.MaxValue)
                {
                    throw new DataFormatException(path, $"line {rows[first + r].Line}, column {labelColumn + 1} ({names[labelColumn]}): the label '{Shorten(labelTexts[r])}' is not a non-negative integer.");
                }

                labels[r] = (int)value;
            }

            return new Dataset(Path.GetFileNameWithoutExtension(path), features, labels);
        }

        string[] classNames = labelTexts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var classOf = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        for (int r = 0; r < count; r++)
        {
            labels[r] = classOf[labelTexts[r]];
        }

        return new Dataset(Path.GetFileNameWithoutExtension(path), features, labels, classNames: classNames);
    }

    /// <summary>
    /// Writes a data set as CSV (features, then a <c>label</c> column if it has labels: the class names when it
    /// has them, so reading the file back gives the same names), atomically.
    /// </summary>
    public static void Write(string path, Dataset dataset, IReadOnlyList<string>? columnNames = null, bool header = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Write(path, dataset.Features, dataset.Labels, columnNames, header, dataset.ClassNames);
    }

    /// <summary>Writes a matrix (and optional labels as a last column, by name when <paramref name="classNames"/> is given) as CSV, atomically.</summary>
    /// <remarks>Floats are written in their shortest round-trip form, so reading the file back gives the same values.</remarks>
    public static void Write(string path, Tensor features, IReadOnlyList<int>? labels = null, IReadOnlyList<string>? columnNames = null, bool header = true, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(features);
        int rows = features.Rows, columns = features.Columns;
        if (labels is not null && labels.Count != rows)
        {
            throw new ArgumentException($"{labels.Count} labels for {rows} rows.", nameof(labels));
        }

        if (columnNames is not null && columnNames.Count != columns)
        {
            throw new ArgumentException($"{columnNames.Count} column names for {columns} columns.", nameof(columnNames));
        }

        var builder = new StringBuilder();
        if (header)
        {
            var names = columnNames ?? Enumerable.Range(0, columns).Select(i => $"x{i}").ToArray();
            builder.AppendJoin(',', names.Select(Quote));
            if (labels is not null)
            {
                builder.Append(",label");
            }

            builder.Append('\n');
        }

        for (int r = 0; r < rows; r++)
        {
            var row = features.Row(r);
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    builder.Append(',');
                }

                builder.Append(row[c].ToString("R", CultureInfo.InvariantCulture));
            }

            if (labels is not null)
            {
                builder.Append(',').Append(classNames is null ? labels[r].ToString(CultureInfo.InvariantCulture) : Quote(classNames[labels[r]]));
            }

            builder.Append('\n');
        }

        byte[] bytes = new UTF8Encoding(false).GetBytes(builder.ToString());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static int LabelColumn(CsvOptions options, string[] names, bool hasHeader, string path)
    {
        if (options.LabelColumn is not null)
        {
            if (!hasHeader)
            {
                throw new DataFormatException(path, $"the label column '{options.LabelColumn}' is given by name but the file has no header.");
            }

            int index = Array.IndexOf(names, options.LabelColumn);
            return index >= 0 ? index : throw new DataFormatException(path, $"there is no column '{options.LabelColumn}' (the columns are {string.Join(", ", names)}).");
        }

        if (options.LabelIndex is int i)
        {
            return i >= 0 && i < names.Length ? i : throw new DataFormatException(path, $"there is no column {i} (the file has {names.Length} columns, numbered from 0).");
        }

        return -1;
    }

    private static string[] SplitFields(string line, char delimiter, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new DataFormatException(path, $"line {lineNumber}: a quoted field is not closed.");
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    // Only finite values that float32 can hold: a NaN or an overflow would poison training silently.
    private static bool TryNumber(string field, out double value) =>
        double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && Math.Abs(value) <= float.MaxValue;

    private static string Quote(string name) => name.Contains(',') || name.Contains('"') ? $"\"{name.Replace("\"", "\"\"")}\"" : name;

    private static string Shorten(string field) => field.Length <= 40 ? field : field[..40] + "…";
}
