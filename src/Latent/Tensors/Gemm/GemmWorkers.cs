using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Latent.Tensors;

/// <summary>A GEMM split into parts that any thread may run, in any order.</summary>
internal interface IGemmPartRunner
{
    void RunPart(int part);
}

/// <summary>
/// Persistent helper threads for the GEMM. Between products they spin briefly before sleeping, so that a
/// training step's back-to-back GEMMs start on every core at once instead of waiting for a thread-pool
/// thread to wake (3–15 µs a call, much more on a busy machine). Parts are claimed dynamically: a helper
/// that is slow to wake leaves its part to the calling thread.
/// </summary>
/// <remarks>
/// One GEMM uses the helpers at a time; a GEMM started meanwhile on another thread runs its parts itself,
/// which gives the same result, since the partition does not depend on who runs it.
/// </remarks>
internal sealed class GemmWorkers
{
    /// <summary>How long a helper keeps polling for the next product before it blocks.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000;

    private static readonly Lock s_gate = new();
    private static readonly List<Worker> s_helpers = [];

    private static IGemmPartRunner? s_job;
    private static int s_pending;
    private static int s_generation;
    private static ExceptionDispatchInfo? s_failure;

    /// <summary>
    /// The generation (bits 32–63), its part count (16–31) and the next unclaimed part (0–15), changed
    /// together so that a late helper can never claim a part of a later product.
    /// </summary>
    private static long s_state;

    /// <summary>Runs parts [0, parts) of <paramref name="job"/> on the calling thread and up to threads − 1 helpers.</summary>
    public static void Run(IGemmPartRunner job, int parts, int threads)
    {
        if (!s_gate.TryEnter())
        {
            for (int part = 0; part < parts; part++)
            {
                job.RunPart(part);
            }

            return;
        }

        try
        {
            int helpers = Math.Min(threads, parts) - 1;
            while (s_helpers.Count < helpers)
            {
                s_helpers.Add(new Worker(s_helpers.Count));
            }

            s_job = job;
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
            s_failure?.Throw();
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
        while (TryClaim(generation, out int part))
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

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Latent GEMM {index + 1}" };
            thread.Start();
        }

        public void Wake() => _wake.Set();

        private void Loop()
        {
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
                RunParts(seen);
            }
        }
    }
}
