namespace Latent.Tensors;

/// <summary>
/// The deterministic parallel-for: fixed partitions of a range of rows into blocks, so that per-block partial
/// results, reduced in block order, are the same whatever the number of threads; and grain-sized ranges for
/// per-row work (convolutions, element-wise loops) that runs on the calling thread when it is too small to
/// repay a second thread.
/// </summary>
/// <remarks>
/// Every loop uses at most <see cref="Parallelism.MaxThreads"/> threads, the limit of the calling context.
/// Parts run on the GEMM's persistent helper threads (waking one costs far less than a
/// <see cref="Parallel.For(int, int, Action{int})"/> call's 3–15 µs), or on the thread pool when another
/// caller holds the helpers; a loop nested in a part of another runs inline. Which thread runs a part never
/// changes its result. An exception thrown by a part is rethrown as itself, not wrapped.
/// </remarks>
internal static class RowBlocks
{
    /// <summary>Rows per block: large enough to amortise a GEMM call, small enough to stay in cache.</summary>
    public const int Size = 2048;

    /// <summary>The grain of <see cref="ForEachRange(int, Action{int, int})"/>: rows below which a second thread does not pay.</summary>
    public const int DefaultGrain = 256;

    /// <summary>Number of blocks of <paramref name="size"/> rows covering <paramref name="rows"/> rows.</summary>
    public static int Count(int rows, int size = Size) => (rows + size - 1) / size;

    /// <summary>Runs <paramref name="body"/>(block, start, end) for every block of <paramref name="size"/> rows, in parallel.</summary>
    /// <remarks>The blocks are the same for any thread count, so per-block results reduced in block order are too.</remarks>
    public static void ForEach(int rows, Action<int, int, int> body, int size = Size)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Run(new BlockJob(rows, size, body), Count(rows, size));
    }

    /// <summary>
    /// As <see cref="ForEach(int, Action{int, int, int}, int)"/>, with a scratch object made by
    /// <paramref name="create"/> for each thread at work (so large temporaries are allocated once per thread,
    /// not once per block).
    /// </summary>
    public static void ForEach<TState>(int rows, Func<TState> create, Action<int, int, int, TState> body, int size = Size)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Run(new BlockJob<TState>(rows, size, create, body), Count(rows, size));
    }

    /// <summary>
    /// Splits <paramref name="rows"/> into one range per thread, of at least <see cref="DefaultGrain"/> rows,
    /// and runs <paramref name="body"/>(start, end) on each.
    /// </summary>
    /// <remarks>For per-row work whose results do not depend on the split (no reductions across rows).</remarks>
    public static void ForEachRange(int rows, Action<int, int> body) => ForEachRange(rows, DefaultGrain, body);

    /// <summary>
    /// Splits <paramref name="rows"/> into at most <see cref="Parallelism.MaxThreads"/> contiguous ranges of at
    /// least <paramref name="grain"/> rows and runs <paramref name="body"/>(start, end) on each; fewer than
    /// 2·<paramref name="grain"/> rows run on the calling thread as one range, with no synchronisation at all.
    /// </summary>
    /// <remarks>
    /// For per-row work whose results do not depend on the split (no reductions across rows). Choose the grain
    /// so that it takes some tens of microseconds: a few thousand floats of element-wise work, a few output rows
    /// of a convolution.
    /// </remarks>
    /// <param name="rows">How many rows (or elements, or any units of independent work).</param>
    /// <param name="grain">The fewest rows worth a thread of their own, at least 1.</param>
    /// <param name="body">The work on rows [start, end).</param>
    public static void ForEachRange(int rows, int grain, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(grain, 1);
        if (RowRangeJob.Parts(rows, grain) <= 1)
        {
            // No job object when the loop runs inline: a training step under a limit of 1 allocates nothing.
            body(0, rows);
            return;
        }

        new RangeJob(body).Run(rows, grain);
    }

    /// <summary>Runs parts [0, parts) of a job on up to <see cref="Parallelism.MaxThreads"/> threads.</summary>
    internal static void Run(IGemmPartRunner job, int parts)
    {
        int threads = Math.Min(Parallelism.MaxThreads, parts);
        if (threads <= 1 || GemmWorkers.InPart)
        {
            // In order on the calling thread; work nested in a part may still use the threads the limit allows.
            for (int part = 0; part < parts; part++)
            {
                job.RunPart(part);
            }

            return;
        }

        if (GemmWorkers.TryRun(job, parts, threads))
        {
            return;
        }

        // Another caller holds the helpers: the thread pool, which flows the caller's context (and its limit).
        try
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, part => GemmWorkers.RunInline(job, part, part + 1));
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
        }
    }

    private sealed class BlockJob(int rows, int size, Action<int, int, int> body) : IGemmPartRunner
    {
        public void RunPart(int part)
        {
            int start = part * size;
            body(part, start, Math.Min(rows, start + size));
        }
    }

    private sealed class BlockJob<TState>(int rows, int size, Func<TState> create, Action<int, int, int, TState> body) : IGemmPartRunner
    {
        // States not in use; a part takes one (or makes one) and gives it back, so there are at most as many
        // as threads ever ran parts at once.
        private readonly Stack<TState> _idle = new();

        public void RunPart(int part)
        {
            bool reused;
            TState? state;
            lock (_idle)
            {
                reused = _idle.TryPop(out state);
            }

            if (!reused)
            {
                state = create();
            }

            int start = part * size;
            body(part, start, Math.Min(rows, start + size), state!);
            lock (_idle)
            {
                _idle.Push(state!);
            }
        }
    }

    private sealed class RangeJob(Action<int, int> body) : RowRangeJob
    {
        protected override void RunRows(int start, int end) => body(start, end);
    }
}
