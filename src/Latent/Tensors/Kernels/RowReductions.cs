namespace Latent.Tensors.Kernels;

/// <summary>Reductions over a row-major matrix's rows and columns, and over long spans in double.</summary>
internal static class RowReductions
{
    // Float sums over blocks this long keep the vectorised speed; the running total across blocks is double.
    private const int Block = 1024;

    /// <summary>Σ values, accumulated in double over vectorised float blocks.</summary>
    public static double Sum(ReadOnlySpan<float> values)
    {
        double total = 0;
        for (int i = 0; i < values.Length; i += Block)
        {
            total += TensorPrimitives.Sum(values.Slice(i, Math.Min(Block, values.Length - i)));
        }

        return total;
    }

    /// <summary>destination[i] = Σ_j matrix[i, j] for a [rows, columns] matrix.</summary>
    public static void RowSums(ReadOnlySpan<float> matrix, int columns, Span<float> destination)
    {
        int rows = CheckMatrix(matrix, columns, destination.Length, nameof(destination));
        for (int i = 0; i < rows; i++)
        {
            destination[i] = (float)Sum(matrix.Slice(i * columns, columns));
        }
    }

    /// <summary>destination[j] = β·destination[j] + Σ_i matrix[i, j] for a [rows, columns] matrix, β 0 or 1.</summary>
    public static void ColumnSums(ReadOnlySpan<float> matrix, int columns, Span<float> destination, bool accumulate)
    {
        if (destination.Length != columns)
        {
            throw new ArgumentException($"The destination holds {destination.Length} elements; the matrix has {columns} columns.", nameof(destination));
        }

        int rows = columns == 0 ? 0 : matrix.Length / columns;
        if (!accumulate)
        {
            destination.Clear();
        }

        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Add(destination, matrix.Slice(i * columns, columns), destination);
        }
    }

    /// <summary>
    /// log Σ_j e^(row[j]), stable: the row maximum m is taken out, log Σ e^(x − m) + m, with the sum in
    /// double. A row of all −∞ gives −∞; an empty row gives −∞.
    /// </summary>
    /// <param name="row">The values.</param>
    /// <param name="scratch">Space for the shifted exponentials, at least as long as the row.</param>
    public static float LogSumExp(ReadOnlySpan<float> row, Span<float> scratch) => LogSumExp(row, scratch, out _, out _);

    /// <summary>
    /// <see cref="LogSumExp(ReadOnlySpan{float}, Span{float})"/>, also giving the row maximum m and
    /// s = Σ_j e^(row[j] − m), from which softmax_j = e^(row[j] − m) / s without the rounding of the float result.
    /// </summary>
    public static float LogSumExp(ReadOnlySpan<float> row, Span<float> scratch, out float max, out double sumOfShifted)
    {
        sumOfShifted = 0;
        if (row.Length == 0)
        {
            max = float.NegativeInfinity;
            return max;
        }

        max = TensorPrimitives.Max(row);
        if (!float.IsFinite(max))
        {
            return max;
        }

        var shifted = scratch[..row.Length];
        ElementWise.Map(new ScaledShiftedExpOperator(max, 1f), row, shifted);
        sumOfShifted = Sum(shifted);
        return (float)(max + Math.Log(sumOfShifted));
    }

    private static int CheckMatrix(ReadOnlySpan<float> matrix, int columns, int rows, string name)
    {
        if ((long)rows * columns != matrix.Length)
        {
            throw new ArgumentException($"A matrix of {matrix.Length} elements with {columns} columns does not have {rows} rows.", name);
        }

        return rows;
    }
}
