namespace Latent.Tensors;

/// <summary>
/// Fixed partitions of a sample range into blocks, so that per-block partial results, reduced in block order,
/// are the same whatever the number of threads.
/// </summary>
internal static class RowBlocks
{
    /// <summary>Rows per block: large enough to amortise a GEMM call, small enough to stay in cache.</summary>
    public const int Size = 2048;

    /// <summary>Number of blocks of <paramref name="size"/> rows covering <paramref name="rows"/> rows.</summary>
    public static int Count(int rows, int size = Size) => (rows + size - 1) / size;

    /// <summary>Runs <paramref name="body"/>(block, start, end) for every block, in parallel across the cores.</summary>
    public static void ForEach(int rows, Action<int, int, int> body, int size = Size)
    {
        int count = Count(rows, size);
        if (count == 1)
        {
            body(0, 0, rows);
            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, block =>
        {
            int start = block * size;
            body(block, start, Math.Min(rows, start + size));
        });
    }

    /// <summary>Splits <paramref name="rows"/> into one range per core and runs <paramref name="body"/>(start, end) on each.</summary>
    /// <remarks>For per-row work whose results do not depend on the split (no reductions across rows).</remarks>
    public static void ForEachRange(int rows, Action<int, int> body)
    {
        int parts = Math.Min(Environment.ProcessorCount, Math.Max(1, rows / 256));
        if (parts <= 1)
        {
            body(0, rows);
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            long start = (long)rows * part / parts, end = (long)rows * (part + 1) / parts;
            body((int)start, (int)end);
        });
    }

    /// <summary>
    /// As <see cref="ForEach(int, Action{int, int, int}, int)"/>, with a scratch object per worker made by
    /// <paramref name="create"/> (so large temporaries are allocated once per thread, not once per block).
    /// </summary>
    public static void ForEach<TState>(int rows, Func<TState> create, Action<int, int, int, TState> body, int size = Size)
    {
        int count = Count(rows, size);
        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            create,
            (block, _, state) =>
            {
                int start = block * size;
                body(block, start, Math.Min(rows, start + size), state);
                return state;
            },
            _ => { });
    }
}
