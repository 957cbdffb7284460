using System.Runtime.CompilerServices;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Column means, variances and scatter matrices of float data, accumulated in double.</summary>
internal static class Moments
{
    private const int ScatterBlock = 1024;

    // A multiple of the GEMM micro-tiles' rows (6 for AVX2, 12 for AVX-512); small enough that the bands balance
    // over the threads and waste little below the diagonal.
    private const int ScatterBand = 48;

    /// <summary>The mean of every column of the row-major [rows, columns] matrix <paramref name="x"/>.</summary>
    public static double[] ColumnMeans(float[] x, int rows, int columns) => ColumnMeans(SourceBlocks.Of(x, rows, columns));

    /// <summary>The mean of every column of <paramref name="data"/>; a streamed block's values are checked finite as it is read.</summary>
    public static double[] ColumnMeans(SourceBlocks data)
    {
        int columns = data.Columns;
        double[] sums = ReduceBlocks(data, (block, start, end, acc) =>
        {
            var row = new double[columns];
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.ConvertChecked<float, double>(block.Row(r), row);
                TensorPrimitives.Add(acc, row, acc);
            }
        });
        TensorPrimitives.Multiply(sums, 1.0 / data.Rows, sums);
        return sums;
    }

    /// <summary>The population variance (divided by rows) of every column around <paramref name="mean"/>.</summary>
    public static double[] ColumnVariances(float[] x, int rows, int columns, double[] mean) => ColumnVariances(SourceBlocks.Of(x, rows, columns), mean);

    /// <summary>The population variance (divided by rows) of every column of <paramref name="data"/> around <paramref name="mean"/>.</summary>
    public static double[] ColumnVariances(SourceBlocks data, double[] mean)
    {
        int columns = data.Columns;
        double[] sums = ReduceBlocks(data, (block, start, end, acc) =>
        {
            var row = new double[columns];
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.ConvertChecked<float, double>(block.Row(r), row);
                TensorPrimitives.Subtract(row, mean, row);
                TensorPrimitives.MultiplyAdd(row, row, acc, acc);
            }
        });
        TensorPrimitives.Multiply(sums, 1.0 / data.Rows, sums);
        return sums;
    }

    /// <summary>
    /// The scatter matrix Σᵢ (xᵢ − m)(xᵢ − m)ᵀ of the rows of <paramref name="x"/> ([columns, columns], row-major),
    /// or of the columns when <paramref name="mean"/> is null and the data is already centred.
    /// </summary>
    public static double[] Scatter(float[] x, int rows, int columns, double[]? mean) => Scatter(SourceBlocks.Of(x, rows, columns), mean);

    /// <summary>The scatter matrix Σᵢ (xᵢ − m)(xᵢ − m)ᵀ of the rows of <paramref name="data"/> (or Σᵢ xᵢxᵢᵀ when <paramref name="mean"/> is null).</summary>
    /// <remarks>
    /// A symmetric rank-k update: blocks of <see cref="ScatterBlock"/> rows are centred in float (the centring is
    /// kept rather than subtracting n·m·mᵀ at the end, which would cancel catastrophically for data with a large
    /// mean) and only the upper triangle of each block's product Aᵀ·A is computed, by one float GEMM per band of
    /// <see cref="ScatterBand"/> rows from the band's diagonal to the last column (the bands dealt to the threads,
    /// each GEMM on its own thread): about half the flops of the full product. The block products are summed in
    /// double, so rounding grows with the block length, not with the number of rows; the lower triangle is
    /// mirrored at the end. Uncentred data is read in place. The blocks of rows are counted from the first row
    /// whether the data is in memory or streamed (a streamed block holds whole blocks), so both give the same sums.
    /// </remarks>
    public static double[] Scatter(SourceBlocks data, double[]? mean)
    {
        int rows = data.Rows, columns = data.Columns;
        var total = new double[columns * columns];
        float[]? centred = mean is null ? null : new float[Math.Min(rows, ScatterBlock) * columns];
        var product = new float[columns * columns];
        float[]? meanF = mean is null ? null : Array.ConvertAll(mean, m => (float)m);
        int[][] bands = AssignBands(columns, Parallelism.MaxThreads);
        data.ForEach(block =>
        {
            for (int start = block.Start; start < block.End; start += ScatterBlock)
            {
                int count = Math.Min(ScatterBlock, block.End - start);
                float[] source = block.Array;
                int offset = block.Offset + ((start - block.Start) * columns);
                if (centred is not null && meanF is not null)
                {
                    int first = start;
                    RowBlocks.ForEachRange(count, (s, e) =>
                    {
                        for (int r = s; r < e; r++)
                        {
                            TensorPrimitives.Subtract(block.Row(first + r), meanF, centred.AsSpan(r * columns, columns));
                        }
                    });
                    source = centred;
                    offset = 0;
                }

                // Each part owns whole bands of rows of the product and of the total, so the parts never share an
                // entry and every entry is summed in block order whatever the number of threads.
                RowBlocks.ForEachRange(bands.Length, 1, (firstPart, endPart) =>
                {
                    for (int part = firstPart; part < endPart; part++)
                    {
                        foreach (int r0 in bands[part])
                        {
                            int band = Math.Min(ScatterBand, columns - r0);
                            ReadOnlySpan<float> a = source.AsSpan(offset + r0);
                            Gemm.MultiplyOnCallingThread(
                                GemmForm.AtB, band, columns - r0, count, 1f, a, columns, a, columns,
                                0f, product.AsSpan((r0 * columns) + r0), columns);
                            AddUpper(product, total, columns, r0, band);
                        }
                    }
                });
            }
        });

        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < i; j++)
            {
                total[(i * columns) + j] = total[(j * columns) + i];
            }
        }

        return total;
    }

    /// <summary>Adds rows [r0, r0 + band) of the upper triangle of the float product to the double total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddUpper(float[] product, double[] total, int columns, int r0, int band)
    {
        for (int i = r0; i < r0 + band; i++)
        {
            Span<double> target = total.AsSpan((i * columns) + i, columns - i);
            ReadOnlySpan<float> widened = product.AsSpan((i * columns) + i, columns - i);
            for (int c = 0; c < target.Length; c++)
            {
                target[c] += widened[c];
            }
        }
    }

    /// <summary>
    /// The first rows of the bands of the upper triangle, dealt to <paramref name="parts"/> parts largest first to
    /// the least loaded (a band from row r₀ costs columns − r₀).
    /// </summary>
    private static int[][] AssignBands(int columns, int parts)
    {
        int count = (columns + ScatterBand - 1) / ScatterBand;
        parts = Math.Max(1, Math.Min(parts, count));
        var lists = new List<int>[parts];
        var load = new long[parts];
        for (int p = 0; p < parts; p++)
        {
            lists[p] = [];
        }

        for (int r0 = 0; r0 < columns; r0 += ScatterBand)
        {
            int least = Array.IndexOf(load, load.Min());
            lists[least].Add(r0);
            load[least] += (long)Math.Min(ScatterBand, columns - r0) * (columns - r0);
        }

        return [.. lists.Select(l => l.ToArray())];
    }

    /// <summary>Σᵢ aᵢ bᵢᵀ over the rows of A [rows, p] and B [rows, q], as a double [p, q] matrix (blocked float GEMM).</summary>
    public static double[] CrossProduct(float[] a, int p, float[] b, int q, int rows)
    {
        var total = new double[p * q];
        AddCrossProduct(a, p, b, q, rows, total);
        return total;
    }

    /// <summary>
    /// Adds Σᵢ aᵢ bᵢᵀ over the rows of A [rows, p] and B [rows, q] to <paramref name="total"/>, in blocks of
    /// <see cref="ScatterBlock"/> rows (so a caller adding whole blocks' worth at a time gets the sums of one call).
    /// </summary>
    public static void AddCrossProduct(ReadOnlySpan<float> a, int p, ReadOnlySpan<float> b, int q, int rows, double[] total)
    {
        var product = new float[p * q];
        var widened = new double[p * q];
        for (int start = 0; start < rows; start += ScatterBlock)
        {
            int count = Math.Min(ScatterBlock, rows - start);
            Gemm.Multiply(GemmForm.AtB, p, q, count, 1f, a.Slice(start * p, count * p), p, b.Slice(start * q, count * q), q, 0f, product, q);
            TensorPrimitives.ConvertChecked<float, double>(product, widened);
            TensorPrimitives.Add(total, widened, total);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(block, start, end, accumulator) on the fixed row blocks of <paramref name="data"/>,
    /// each into its own accumulator, and sums them in block order; a streamed block is checked finite first.
    /// </summary>
    private static double[] ReduceBlocks(SourceBlocks data, Action<RowBlock, int, int, double[]> body)
    {
        int columns = data.Columns;
        var total = new double[columns];
        data.ForEach(block =>
        {
            if (!data.InMemory)
            {
                block.CheckFinite("The data", "data");
            }

            int blocks = RowBlocks.Count(block.Count);
            var partial = new double[blocks][];
            RowBlocks.ForEach(block.Count, (b, start, end) =>
            {
                var acc = new double[columns];
                body(block, block.Start + start, block.Start + end, acc);
                partial[b] = acc;
            });
            foreach (double[] p in partial)
            {
                TensorPrimitives.Add(total, p, total);
            }
        });
        return total;
    }
}
