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
    /// <remarks>
    /// The file is streamed, never held whole: memory is the parsed float32 values (twice, briefly, while they
    /// are gathered into one tensor) plus the longest line.
    /// </remarks>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = FormatLimits.OpenStream(path);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        try
        {
            return Parse(reader, path, options);
        }
        catch (DecoderFallbackException exception)
        {
            throw new DataFormatException(path, "the file is not UTF-8 text.", exception);
        }
    }

    /// <summary>Parses CSV text; <paramref name="path"/> names it in errors and is the data set's name.</summary>
    public static Dataset Parse(string text, string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, path, options);
    }

    // One pass: each line is split into reused buffers and its numbers go straight into the float blocks;
    // only the first row (the header or its guess) and the label column's distinct values become strings.
    private static Dataset Parse(TextReader reader, string path, CsvOptions? options)
    {
        options ??= new CsvOptions();
        var lines = new CsvLineReader(reader, path);
        var fields = new CsvFields();
        int lineNumber = 0;
        CsvLayout? layout = null;
        var values = new FloatBlocks();
        var labels = new CsvLabels();
        int count = 0;
        while (lines.TryReadLine(out var rawLine))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || (line.Trim().Length == 0 && options.Delimiter != ' '))
            {
                continue;
            }

            if (lineNumber == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }

            fields.Split(line, options.Delimiter, path, lineNumber);
            if (layout is null)
            {
                layout = CsvLayout.FromFirstRow(fields.ToStrings(), options, path);
                if (layout.HasHeader)
                {
                    continue;
                }
            }

            if ((long)(count + 1) * layout.Dimension > FormatLimits.MaxElements)
            {
                throw new DataFormatException(path, $"more than {count:N0} rows of {layout.Dimension} values exceed the limit of {FormatLimits.MaxElements:N0} elements.");
            }

            ReadRow(fields, layout, lineNumber, path, values, labels);
            count++;
        }

        if (layout is null)
        {
            throw new DataFormatException(path, "the CSV file has no rows.");
        }

        FormatLimits.CheckMemory(4L * count * layout.Dimension, path, $"{count:N0} rows of {layout.Dimension} values");
        var features = Tensor.Zeros(count, layout.Dimension);
        values.CopyTo(features.Span);
        values.Clear();
        string name = Path.GetFileNameWithoutExtension(path);
        if (layout.LabelColumn < 0)
        {
            return new Dataset(name, features);
        }

        var (indices, classNames) = labels.Resolve(path, layout.LabelColumn, layout.Names[layout.LabelColumn]);
        return new Dataset(name, features, indices, classNames: classNames);
    }

    private static void ReadRow(CsvFields fields, CsvLayout layout, int line, string path, FloatBlocks values, CsvLabels labels)
    {
        if (fields.Count != layout.Columns)
        {
            throw new DataFormatException(path, $"line {line} has {fields.Count} fields but the first row has {layout.Columns}.");
        }

        for (int c = 0; c < layout.Columns; c++)
        {
            var field = fields[c].Trim();
            if (field.Length == 0)
            {
                throw new DataFormatException(path, $"line {line}, column {c + 1} ({layout.Names[c]}): the value is missing.");
            }

            if (c == layout.LabelColumn)
            {
                labels.Add(field, line);
            }
            else if (!TryNumber(field, out double value))
            {
                throw new DataFormatException(path, $"line {line}, column {c + 1} ({layout.Names[c]}): '{Shorten(field)}' is not a number.");
            }
            else
            {
                values.Add((float)value);
            }
        }
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

    // Only finite values that float32 can hold: a NaN or an overflow would poison training silently.
    internal static bool TryNumber(ReadOnlySpan<char> field, out double value) =>
        double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && Math.Abs(value) <= float.MaxValue;

    private static string Quote(string name) => name.Contains(',') || name.Contains('"') ? $"\"{name.Replace("\"", "\"\"")}\"" : name;

    internal static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : string.Concat(field[..40], "…");
}
