namespace Latent.Data;

/// <summary>Whether a CSV file's first row is a header.</summary>
public enum CsvHeader
{
    /// <summary>A header when the first row has a field that is not a number.</summary>
    Auto,

    /// <summary>The first row is a header.</summary>
    Present,

    /// <summary>Every row is data.</summary>
    Absent,
}

/// <summary>How to read a CSV file into a data set.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first row names the columns.</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>The label column by header name; null for none (or see <see cref="LabelIndex"/>).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>The label column by zero-based index; null for none.</summary>
    public int? LabelIndex { get; init; }

    /// <summary>The field separator.</summary>
    public char Delimiter { get; init; } = ',';
}
