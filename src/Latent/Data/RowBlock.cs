using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Rows [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) of a data set, held row-major in
/// <see cref="Array"/> from float <see cref="Offset"/>: a slice of the data's own storage when it is in memory,
/// otherwise a buffer just read from the source.
/// </summary>
/// <param name="Start">The first row, in the whole data set's numbering.</param>
/// <param name="Count">The number of rows.</param>
/// <param name="Columns">The values per row.</param>
/// <param name="Array">The storage holding the rows.</param>
/// <param name="Offset">Where row <see cref="Start"/> begins in <see cref="Array"/>.</param>
internal readonly record struct RowBlock(int Start, int Count, int Columns, float[] Array, int Offset)
{
    /// <summary>The end of the rows (exclusive), in the whole data set's numbering.</summary>
    public int End => Start + Count;

    /// <summary>All the rows, row-major.</summary>
    public Span<float> Values => Array.AsSpan(Offset, Count * Columns);

    /// <summary>Row <paramref name="row"/> (in the whole data set's numbering, within the block).</summary>
    public Span<float> Row(int row) => Array.AsSpan(Offset + ((row - Start) * Columns), Columns);

    /// <summary><paramref name="count"/> rows from row <paramref name="row"/> (in the whole data set's numbering), row-major.</summary>
    public Span<float> Rows(int row, int count) => Array.AsSpan(Offset + ((row - Start) * Columns), count * Columns);

    /// <summary>Throws if a value is NaN or infinite, naming <paramref name="what"/>, the value and its row (in the whole data) and column.</summary>
    /// <exception cref="ArgumentException">A value is not finite.</exception>
    public void CheckFinite(string what, string? paramName = null)
    {
        if (FiniteValues.FirstNonFinite(Values) is int index)
        {
            throw new ArgumentException(
                $"{what} holds {Values[index]} at row {Start + (index / Columns)}, column {index % Columns}; every value must be finite.", paramName);
        }
    }
}
