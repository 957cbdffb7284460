namespace Latent.Tensors;

/// <summary>
/// Splits one GEMM's output over threads in blocks of tiles. Every element of C is computed by the same
/// arithmetic whichever tile (full, half or edge) holds it: the same fused multiply-adds in the same order
/// over p, the same k blocks, the same store. So results are bitwise the same whatever the split.
/// </summary>
/// <remarks>
/// The larger of m and n is split (a column split packs all of A on each thread, a row split all of B),
/// with boundaries rounded to the multiple of Mr (rows) or Nr / 2 (columns, so that a last half tile can
/// balance the shares) nearest an even share. Problems too small to repay waking a helper thread, and
/// products nested in a part of a parallel loop, run on the calling thread alone.
/// </remarks>
internal sealed unsafe class GemmParallel<TKernel> : IGemmPartRunner
    where TKernel : struct, IGemmKernel
{
    /// <summary>Multiply-adds a thread must get (about 10 µs of work) before a split is worth it.</summary>
    private const long MinWorkPerThread = 1L << 19;

    [ThreadStatic]
    private static GemmParallel<TKernel>? s_job;

    private GemmProblem _problem;
    private int _parts;
    private bool _splitColumns;

    public static void Run(in GemmProblem problem, int maxThreads)
    {
        bool splitColumns = problem.N >= problem.M;
        int tile = splitColumns ? TKernel.Nr / 2 : TKernel.Mr;
        int tiles = ((splitColumns ? problem.N : problem.M) + tile - 1) / tile;
        long work = (long)problem.M * problem.N * problem.K;
        int threads = Math.Min(maxThreads, Environment.ProcessorCount);
        int parts = (int)Math.Min(Math.Min(threads, tiles), Math.Max(1, work / MinWorkPerThread));
        if (parts <= 1 || GemmWorkers.InPart)
        {
            // Nested in a part of a parallel loop, the cores are already busy: one pass is the fastest inline run.
            GemmBlocking<TKernel>.Run(problem, 0, problem.M, 0, problem.N);
            return;
        }

        GemmParallel<TKernel> job = s_job ??= new GemmParallel<TKernel>();
        job._problem = problem;
        job._parts = parts;
        job._splitColumns = splitColumns;
        GemmWorkers.Run(job, parts, threads);
    }

    /// <summary>The start of part <paramref name="part"/> of a length split in tiles of <paramref name="tile"/>.</summary>
    private static int Boundary(int part, int parts, int length, int tile)
    {
        if (part >= parts)
        {
            return length;
        }

        long even = (long)length * part / parts;
        return (int)Math.Min(length, (even + (tile / 2)) / tile * tile);
    }

    public void RunPart(int part)
    {
        if (_splitColumns)
        {
            int start = Boundary(part, _parts, _problem.N, TKernel.Nr / 2), end = Boundary(part + 1, _parts, _problem.N, TKernel.Nr / 2);
            GemmBlocking<TKernel>.Run(_problem, 0, _problem.M, start, end);
        }
        else
        {
            int start = Boundary(part, _parts, _problem.M, TKernel.Mr), end = Boundary(part + 1, _parts, _problem.M, TKernel.Mr);
            GemmBlocking<TKernel>.Run(_problem, start, end, 0, _problem.N);
        }
    }
}
