using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Column means, variances and scatter matrices of float data, accumulated in double.</summary>
internal static class Moments
{
    private const int ScatterBlock = 1024;

    // A multiple of the GEMM micro-tiles' rows (6 for AVX2, 12 for AVX-512) and columns (16, 32).
    private const int ScatterBand = 96;

    /// <summary>The mean of every column of the row-major [rows, columns] matrix <paramref name="x"/>.</summary>
    public static double[] ColumnMeans(float[] x, int rows, int columns)
    {
        double[] sums = ReduceBlocks(rows, columns, (start, end, acc) =>
        {
            var row = new double[columns];
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.ConvertChecked<float, double>(x.AsSpan(r * columns, columns), row);
                TensorPrimitives.Add(acc, row, acc);
            }
        });
        TensorPrimitives.Multiply(sums, 1.0 / rows, sums);
        return sums;
    }

    /// <summary>The population variance (divided by rows) of every column around <paramref name="mean"/>.</summary>
    public static double[] ColumnVariances(float[] x, int rows, int columns, double[] mean)
    {
        double[] sums = ReduceBlocks(rows, columns, (start, end, acc) =>
        {
            var row = new double[columns];
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.ConvertChecked<float, double>(x.AsSpan(r * columns, columns), row);
                TensorPrimitives.Subtract(row, mean, row);
                TensorPrimitives.MultiplyAdd(row, row, acc, acc);
            }
        });
        TensorPrimitives.Multiply(sums, 1.0 / rows, sums);
        return sums;
    }

    /// <summary>
    /// The scatter matrix Σᵢ (xᵢ − m)(xᵢ − m)ᵀ of the rows of <paramref name="x"/> ([columns, columns], row-major),
    /// or of the columns when <paramref name="mean"/> is null and the data is already centred.
    /// </summary>
    /// <remarks>
    /// A symmetric rank-k update: blocks of rows are centred in float (the centring is kept rather than
    /// subtracting n·m·mᵀ at the end, which would cancel catastrophically for data with a large mean) and only the
    /// upper triangle of each block's product Aᵀ·A is computed, by one float GEMM per band of
    /// <see cref="ScatterBand"/> rows from the band's diagonal to the last column: about half the flops of the
    /// full product. The block products are summed in double, so rounding grows with the block length, not with
    /// the number of rows; the lower triangle is mirrored at the end. Uncentred data is read in place.
    /// </remarks>
    public static double[] Scatter(float[] x, int rows, int columns, double[]? mean)
    {
        var total = new double[columns * columns];
        float[]? centred = mean is null ? null : new float[Math.Min(rows, ScatterBlock) * columns];
        var product = new float[columns * columns];
        float[]? meanF = mean is null ? null : Array.ConvertAll(mean, m => (float)m);
        for (int start = 0; start < rows; start += ScatterBlock)
        {
            int count = Math.Min(ScatterBlock, rows - start);
            ReadOnlySpan<float> block = x.AsSpan(start * columns, count * columns);
            if (centred is not null && meanF is not null)
            {
                Span<float> copy = centred.AsSpan(0, count * columns);
                for (int r = 0; r < count; r++)
                {
                    TensorPrimitives.Subtract(block.Slice(r * columns, columns), meanF, copy.Slice(r * columns, columns));
                }

                block = copy;
            }

            UpperProduct(block, count, columns, product);
            for (int i = 0; i < columns; i++)
            {
                Span<double> target = total.AsSpan((i * columns) + i, columns - i);
                ReadOnlySpan<float> source = product.AsSpan((i * columns) + i, columns - i);
                for (int c = 0; c < target.Length; c++)
                {
                    target[c] += source[c];
                }
            }
        }

        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < i; j++)
            {
                total[(i * columns) + j] = total[(j * columns) + i];
            }
        }

        return total;
    }

    /// <summary>
    /// The upper triangle (diagonal included) of Aᵀ·A for the row-major [count, columns] block A, into
    /// <paramref name="product"/> [columns, columns]; entries below the diagonal of each band's leading square
    /// are written too, the rest of the lower triangle is left alone.
    /// </summary>
    private static void UpperProduct(ReadOnlySpan<float> block, int count, int columns, float[] product)
    {
        for (int r0 = 0; r0 < columns; r0 += ScatterBand)
        {
            int band = Math.Min(ScatterBand, columns - r0);
            Gemm.Multiply(
                GemmForm.AtB, band, columns - r0, count, 1f, block[r0..], columns, block[r0..], columns,
                0f, product.AsSpan((r0 * columns) + r0), columns);
        }
    }

    /// <summary>Σᵢ aᵢ bᵢᵀ over the rows of A [rows, p] and B [rows, q], as a double [p, q] matrix (blocked float GEMM).</summary>
    public static double[] CrossProduct(float[] a, int p, float[] b, int q, int rows)
    {
        var total = new double[p * q];
        var product = new float[p * q];
        var widened = new double[p * q];
        for (int start = 0; start < rows; start += ScatterBlock)
        {
            int count = Math.Min(ScatterBlock, rows - start);
            Gemm.Multiply(GemmForm.AtB, p, q, count, 1f, a.AsSpan(start * p, count * p), p, b.AsSpan(start * q, count * q), q, 0f, product, q);
            TensorPrimitives.ConvertChecked<float, double>(product, widened);
            TensorPrimitives.Add(total, widened, total);
        }

        return total;
    }

    /// <summary>Runs <paramref name="body"/> on fixed blocks, each into its own accumulator, and sums them in block order.</summary>
    private static double[] ReduceBlocks(int rows, int columns, Action<int, int, double[]> body)
    {
        int blocks = RowBlocks.Count(rows);
        var partial = new double[blocks][];
        RowBlocks.ForEach(rows, (block, start, end) =>
        {
            var acc = new double[columns];
            body(start, end, acc);
            partial[block] = acc;
        });
        var total = new double[columns];
        foreach (double[] p in partial)
        {
            TensorPrimitives.Add(total, p, total);
        }

        return total;
    }
}
