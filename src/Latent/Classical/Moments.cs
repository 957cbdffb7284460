using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Column means, variances and scatter matrices of float data, accumulated in double.</summary>
internal static class Moments
{
    private const int ScatterBlock = 1024;

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
    /// Blocks of rows are centred in float and multiplied by the float GEMM (Aᵀ·A); the block products are
    /// summed in double, so rounding grows with the block length, not with the number of rows.
    /// </remarks>
    public static double[] Scatter(float[] x, int rows, int columns, double[]? mean)
    {
        var total = new double[columns * columns];
        var centred = new float[Math.Min(rows, ScatterBlock) * columns];
        var product = new float[columns * columns];
        var widened = new double[columns * columns];
        float[]? meanF = mean is null ? null : Array.ConvertAll(mean, m => (float)m);
        for (int start = 0; start < rows; start += ScatterBlock)
        {
            int count = Math.Min(ScatterBlock, rows - start);
            Span<float> block = centred.AsSpan(0, count * columns);
            x.AsSpan(start * columns, count * columns).CopyTo(block);
            if (meanF is not null)
            {
                for (int r = 0; r < count; r++)
                {
                    Span<float> row = block.Slice(r * columns, columns);
                    TensorPrimitives.Subtract(row, meanF, row);
                }
            }

            Gemm.Multiply(GemmForm.AtB, columns, columns, count, 1f, block, columns, block, columns, 0f, product, columns);
            TensorPrimitives.ConvertChecked<float, double>(product, widened);
            TensorPrimitives.Add(total, widened, total);
        }

        return total;
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
