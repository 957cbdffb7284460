namespace Latent.Gallery;

/// <summary>A table a figure reproduces (the notes' tables, or a figure's numbers in rows): a title, column heads and text cells.</summary>
/// <param name="Title">The table's title.</param>
/// <param name="Columns">The column heads.</param>
/// <param name="Rows">The rows, each with one cell per column.</param>
public sealed record GalleryTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Checks that every row has one cell per column; returns the table.</summary>
    public GalleryTable Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Title);
        ArgumentNullException.ThrowIfNull(Columns);
        ArgumentNullException.ThrowIfNull(Rows);
        for (int r = 0; r < Rows.Count; r++)
        {
            if (Rows[r] is null || Rows[r].Count != Columns.Count)
            {
                throw new ArgumentException($"Table '{Title}': row {r} has {Rows[r]?.Count ?? 0} cells for {Columns.Count} columns.", nameof(Rows));
            }
        }

        return this;
    }
}
