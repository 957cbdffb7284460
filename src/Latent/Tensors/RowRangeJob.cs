namespace Latent.Tensors;

/// <summary>
/// A row-parallel pass that allocates nothing per call: an op keeps one instance (per thread), sets its fields,
/// and <see cref="Run"/> splits the rows over the threads the <see cref="Parallelism"/> limit allows.
/// </summary>
/// <remarks>
/// For the element-wise and per-row work of a training step (a loss over a batch, for example), which
/// <see cref="RowBlocks.ForEachRange(int, int, Action{int, int})"/> would do with a closure allocated on every
/// call. The split must not change the result: each row is computed by one part, in the same way whatever part
/// it falls in.
/// </remarks>
internal abstract class RowRangeJob : IGemmPartRunner
{
    private int _rows;
    private int _parts;

    /// <summary>
    /// The parts <paramref name="rows"/> are split into: one per thread the <see cref="Parallelism"/> limit allows, each of
    /// at least <paramref name="grain"/> rows; 1 (run inline, on the calling thread) inside a part of another job.
    /// </summary>
    public static int Parts(int rows, int grain) =>
        GemmWorkers.InPart ? 1 : Math.Min(Parallelism.MaxThreads, Math.Max(1, rows / Math.Max(1, grain)));

    /// <summary>Runs <see cref="RunRows"/> over rows [0, <paramref name="rows"/>) in <see cref="Parts"/> parts.</summary>
    public void Run(int rows, int grain)
    {
        _rows = rows;
        _parts = Parts(rows, grain);
        if (_parts <= 1)
        {
            RunRows(0, rows);
            return;
        }

        RowBlocks.Run(this, _parts);
    }

    /// <summary>The rows of part <paramref name="part"/>: an even split, so every part is the same for a given row count.</summary>
    public void RunPart(int part) => RunRows((int)((long)_rows * part / _parts), (int)((long)_rows * (part + 1) / _parts));

    /// <summary>Does the pass's work on rows [<paramref name="start"/>, <paramref name="end"/>).</summary>
    protected abstract void RunRows(int start, int end);
}
