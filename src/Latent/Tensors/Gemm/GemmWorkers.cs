using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Latent.Tensors;

/// <summary>Work split into parts that any thread may run, in any order (a GEMM, or a <see cref="RowBlocks"/> loop).</summary>
internal interface IGemmPartRunner
{
    void RunPart(int part);
}

/// <summary>
/// Persistent helper threads for the GEMM and <see cref="RowBlocks"/>. Between jobs they spin briefly before
/// sleeping, so that a training step's back-to-back GEMMs start on every core at once instead of waiting for
/// a thread-pool thread to wake (3–15 µs a call, much more on a busy machine). Parts are claimed dynamically:
/// a helper that is slow to wake leaves its part to the calling thread.
/// </summary>
/// <remarks>
/// One job uses the helpers at a time; a job started meanwhile on another thread, or from inside a part
/// (nested), runs its parts itself, which gives the same result, since the partition does not depend on who
/// runs it. Helpers run parts in the caller's <see cref="ExecutionContext"/>, so anything a part reads
/// from it (the <see cref="Parallelism"/> limit above all) is the caller's, not the helper's.
/// </remarks>
internal sealed class GemmWorkers
{
    /// <summary>How long a helper keeps polling for the next product before it blocks.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000;

    private static readonly Lock s_gate = new();
    private static readonly List<Worker> s_helpers = [];

    /// <summary>Whether the current thread is running a part: a job started there runs inline.</summary>
    [ThreadStatic]
    private static bool s_inPart;

    private static IGemmPartRunner? s_job;
    private static ExecutionContext? s_context;
    private static int s_pending;
    private static int s_generation;
    private static ExceptionDispatchInfo? s_failure;

    /// <summary>
    /// The generation (bits 32–63), its part count (16–31) and the next unclaimed part (0–15), changed
    /// together so that a late helper can never claim a part of a later product.
    /// </summary>
    private static long s_state;

    /// <summary>Most parts one job may have.</summary>
    public const int MaxParts = 0xFFFF;

    /// <summary>Whether the calling thread is running a part of a job (a parallel loop nested in it runs inline).</summary>
    public static bool InPart => s_inPart;

    /// <summary>Runs parts [0, parts) of <paramref name="job"/> on the calling thread and up to threads − 1 helpers.</summary>
    /// <remarks>When the helpers are busy, or the call is nested in a part, the calling thread runs every part.</remarks>
    public static void Run(IGemmPartRunner job, int parts, int threads)
    {
        if (!TryRun(job, parts, threads))
        {
            RunInline(job, 0, parts);
        }
    }

    /// <summary>Runs parts [first, end) of <paramref name="job"/> in order on the calling thread, as parts (a loop nested in them runs inline).</summary>
    public static void RunInline(IGemmPartRunner job, int first, int end)
    {
        bool wasInPart = s_inPart;
        s_inPart = true;
        try
        {
            for (int part = first; part < end; part++)
            {
                job.RunPart(part);
            }
        }
        finally
        {
            s_inPart = wasInPart;
        }
    }

    /// <summary>
    /// As <see cref="Run"/>, but returns false, having run nothing, when the helpers are busy with another
    /// caller's job or the call is nested in a part.
    /// </summary>
    public static bool TryRun(IGemmPartRunner job, int parts, int threads)
    {
        // The gate is reentrant: a job started from a part on the calling thread must not take it again.
        if (parts > MaxParts || s_inPart || s_gate.IsHeldByCurrentThread || !s_gate.TryEnter())
        {
            return false;
        }

        try
        {
            int helpers = Math.Min(threads, parts) - 1;
            while (s_helpers.Count < helpers)
            {
                s_helpers.Add(new Worker(s_helpers.Count));
            }

            s_job = job;
            s_context = ExecutionContext.Capture();
            s_pending = parts;
            s_failure = null;
            int generation = ++s_generation;
            Volatile.Write(ref s_state, ((long)generation << 32) | ((long)parts << 16));
            for (int i = 0; i < helpers; i++)
            {
                s_helpers[i].Wake();
            }

            RunParts(generation);

            // The helpers' parts end about when ours does: poll without yielding (a yield on a busy machine
            // can cost a whole time slice), unless a helper is late enough to have been descheduled.
            long yieldAfter = Stopwatch.GetTimestamp() + s_spinTicks;
            while (Volatile.Read(ref s_pending) > 0)
            {
                if (Stopwatch.GetTimestamp() < yieldAfter)
                {
                    Thread.SpinWait(10);
                }
                else
                {
                    Thread.Yield();
                }
            }

            s_job = null;
            s_context = null;
            s_failure?.Throw();
            return true;
        }
        finally
        {
            s_gate.Exit();
        }
    }

    private static int Generation(long state) => (int)(state >> 32);

    /// <summary>Claims and runs parts of the given generation until none is left.</summary>
    private static void RunParts(int generation)
    {
        s_inPart = true;
        try
        {
            RunClaimedParts(generation);
        }
        finally
        {
            s_inPart = false;
        }
    }

    private static void RunClaimedParts(int generation)
    {
        while (TryClaim(generation, out int part))
        {
            RunPart(part);
        }
    }

    /// <summary>Runs a claimed part, keeping its failure for the caller.</summary>
    private static void RunPart(int part)
    {
        // A claimed part keeps s_pending above zero, so the job cannot change under it.
        try
        {
            s_job!.RunPart(part);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref s_failure, ExceptionDispatchInfo.Capture(exception), null);
        }
        finally
        {
            Interlocked.Decrement(ref s_pending);
        }
    }

    private static bool TryClaim(int generation, out int part)
    {
        long state = Volatile.Read(ref s_state);
        while (true)
        {
            int parts = (int)((state >> 16) & 0xFFFF), next = (int)(state & 0xFFFF);
            if (Generation(state) != generation || next >= parts)
            {
                part = -1;
                return false;
            }

            long found = Interlocked.CompareExchange(ref s_state, state + 1, state);
            if (found == state)
            {
                part = next;
                return true;
            }

            state = found;
        }
    }

    /// <summary>A helper's share of a job, run in the caller's execution context.</summary>
    private static void RunHelperParts(int generation, ExecutionContext own)
    {
        // s_context belongs to this generation only while one of its parts is unclaimed; a helper that wakes
        // late finds none to claim and must not run under a stale context, so it claims before switching.
        if (!TryClaim(generation, out int first))
        {
            return;
        }

        ExecutionContext? caller = s_context;
        if (caller is not null)
        {
            ExecutionContext.Restore(caller);
        }

        s_inPart = true;
        try
        {
            RunPart(first);
            RunClaimedParts(generation);
        }
        finally
        {
            s_inPart = false;
            if (caller is not null)
            {
                ExecutionContext.Restore(own);
            }
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false);

        public Worker(int index)
        {
            // UnsafeStart: the helper must not keep the context of whichever caller happened to create it.
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Latent worker {index + 1}" };
            thread.UnsafeStart();
        }

        public void Wake() => _wake.Set();

        private void Loop()
        {
            ExecutionContext own = ExecutionContext.Capture()!;
            int seen = Generation(Volatile.Read(ref s_state));
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
                while (Generation(Volatile.Read(ref s_state)) == seen && Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(20);
                }

                // Reset before the last look, so that a Wake after the look is never lost.
                _wake.Reset();
                if (Generation(Volatile.Read(ref s_state)) == seen)
                {
                    _wake.Wait();
                }

                seen = Generation(Volatile.Read(ref s_state));
                RunHelperParts(seen, own);
            }
        }
    }
}
