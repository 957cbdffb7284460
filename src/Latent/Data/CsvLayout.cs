using Latent.Serialization;

namespace Latent.Data;

/// <summary>What a CSV file's first row decides: whether it is a header, the column names and count, the label column.</summary>
internal sealed class CsvLayout
{
    private CsvLayout(bool hasHeader, string[] names, int labelColumn)
    {
        HasHeader = hasHeader;
        Names = names;
        LabelColumn = labelColumn;
    }

    /// <summary>Whether the first row names the columns (and is not data).</summary>
    public bool HasHeader { get; }

    /// <summary>The column names (or "column i" without a header).</summary>
    public string[] Names { get; }

    /// <summary>The number of fields every row must have.</summary>
    public int Columns => Names.Length;

    /// <summary>The label column's index, or -1.</summary>
    public int LabelColumn { get; }

    /// <summary>The number of feature values per row.</summary>
    public int Dimension => LabelColumn >= 0 ? Columns - 1 : Columns;

    /// <summary>Decides the layout from the first non-blank row, or errors naming the file.</summary>
    public static CsvLayout FromFirstRow(string[] fields, CsvOptions options, string path)
    {
        // With a label column given by index, a text label in the first row does not make it a header.
        bool hasHeader = options.Header switch
        {
            CsvHeader.Present => true,
            CsvHeader.Absent => false,
            _ => fields.Where((_, i) => options.LabelColumn is not null || i != options.LabelIndex).Any(f => !Csv.TryNumber(f, out _)),
        };
        string[] names = hasHeader ? fields.Select(f => f.Trim()).ToArray() : Enumerable.Range(0, fields.Length).Select(i => $"column {i}").ToArray();
        var layout = new CsvLayout(hasHeader, names, LabelColumnOf(options, names, hasHeader, path));
        return layout.Dimension == 0 ? throw new DataFormatException(path, "the CSV file has no feature columns.") : layout;
    }

    private static int LabelColumnOf(CsvOptions options, string[] names, bool hasHeader, string path)
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
}
