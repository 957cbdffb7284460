namespace Latent.Autodiff;

/// <summary>
/// The two per-channel double accumulators a batch-norm pass needs, kept per calling thread and grown, never shrunk.
/// </summary>
/// <remarks>
/// Not <c>ArrayPool&lt;double&gt;.Shared</c>: the shared pool drops its arrays when a gen-2 collection finds memory
/// pressure, so a training step made while another thread allocated heavily rented a fresh array and the
/// steady-state step was no longer allocation-free. A pass runs on the thread that called the op (helper threads
/// write disjoint channel ranges of the caller's arrays), and batch-norm passes never nest.
/// </remarks>
internal static class ChannelSums
{
    [ThreadStatic]
    private static double[]? s_first;

    [ThreadStatic]
    private static double[]? s_second;

    /// <summary>This thread's two accumulators, each at least <paramref name="channels"/> long (contents undefined).</summary>
    public static (double[] First, double[] Second) For(int channels)
    {
        if (s_first is null || s_first.Length < channels)
        {
            s_first = new double[channels];
            s_second = new double[channels];
        }

        return (s_first, s_second!);
    }
}
