namespace Latent.Tensors;

/// <summary>
/// How many threads Latent's parallel work (the GEMM, <see cref="RowBlocks"/>) may use, as a scoped setting
/// that follows the calling context: <c>using (Parallelism.Limit(1)) { ... }</c>.
/// </summary>
/// <remarks>
/// The limit is held in an <see cref="AsyncLocal{T}"/>, so it flows into tasks and awaits started inside the
/// scope and never leaks into other threads or concurrent callers: two tests, one under <c>Limit(1)</c> and
/// one under <c>Limit(2)</c>, can run at the same time and each sees its own. Work handed to helper threads
/// runs in the caller's context, so a nested product or loop obeys the caller's limit too. Outside any scope
/// the limit is <see cref="Environment.ProcessorCount"/>; there is no process-wide setter. Results are bitwise
/// the same for any limit.
/// </remarks>
public static class Parallelism
{
    private static readonly AsyncLocal<int> s_limit = new();

    /// <summary>
    /// The most threads parallel work started from the calling context may use: the smallest limit of the
    /// enclosing <see cref="Limit"/> scopes, and never more than <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public static int MaxThreads
    {
        get
        {
            int limit = s_limit.Value;
            return limit == 0 ? Environment.ProcessorCount : limit;
        }
    }

    /// <summary>
    /// Limits the work started from the calling context to at most <paramref name="maxThreads"/> threads until
    /// the returned scope is disposed. A nested scope can lower the limit but not raise it.
    /// </summary>
    /// <param name="maxThreads">At least 1; values above the effective limit leave it unchanged.</param>
    /// <returns>The scope; disposing it restores the previous limit.</returns>
    public static ParallelismScope Limit(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        int previous = s_limit.Value;
        s_limit.Value = Math.Min(maxThreads, previous == 0 ? Environment.ProcessorCount : previous);
        return new ParallelismScope(previous);
    }

    /// <summary>Restores a limit saved by <see cref="Limit"/>.</summary>
    internal static void Restore(int previous) => s_limit.Value = previous;
}

/// <summary>A thread limit in force until disposed; see <see cref="Parallelism.Limit"/>.</summary>
public readonly struct ParallelismScope : IDisposable
{
    private readonly int _previous;

    internal ParallelismScope(int previous) => _previous = previous;

    /// <summary>Restores the limit that was in force when the scope began.</summary>
    public void Dispose() => Parallelism.Restore(_previous);
}
