using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>Per-channel reductions over NCHW images (the batch statistics of a 2-D batch normalisation).</summary>
public static class ChannelReductions
{
    /// <summary>The double accumulators per channel, whatever the vector width.</summary>
    private const int Lanes = 8;

    /// <summary>
    /// sum[c] = Σ_n Σ_p x[n, c, p] and sumSquares[c] = Σ_n Σ_p x[n, c, p]², accumulated in double.
    /// </summary>
    /// <remarks>
    /// Each channel has eight double accumulators: value p of each plane goes to accumulator p mod 8, images in
    /// order, and the eight are combined as ((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + (a₆ + a₇)). The vector paths
    /// (512, 256, 128 bits) and the scalar tail follow exactly this order, and a float squared is exact in double,
    /// so the result is bitwise the same on every instruction set.
    /// </remarks>
    /// <param name="x">The images [N, C, P], P = H·W.</param>
    /// <param name="images">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="plane">P = H·W.</param>
    /// <param name="sum">[C], written.</param>
    /// <param name="sumSquares">[C], written.</param>
    public static void ChannelSums(ReadOnlySpan<float> x, int images, int channels, int plane, Span<double> sum, Span<double> sumSquares) =>
        ChannelSums(x, images, channels, plane, sum, sumSquares, 0, channels);

    /// <summary>
    /// <see cref="ChannelSums(ReadOnlySpan{float}, int, int, int, Span{double}, Span{double})"/> for channels
    /// [channelStart, channelStart + channelCount) only (sum and sumSquares still hold all C): disjoint channel
    /// ranges may run in parallel, with the same result.
    /// </summary>
    public static void ChannelSums(
        ReadOnlySpan<float> x, int images, int channels, int plane, Span<double> sum, Span<double> sumSquares, int channelStart, int channelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(plane);
        if (x.Length != (long)images * channels * plane)
        {
            throw new ArgumentException($"x holds {x.Length} values; [{images}, {channels}, {plane}] images need {(long)images * channels * plane}.", nameof(x));
        }

        if (sum.Length != channels || sumSquares.Length != channels)
        {
            throw new ArgumentException($"The sums hold {sum.Length} and {sumSquares.Length} values; the images have {channels} channels.", nameof(sum));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(channelStart);
        ArgumentOutOfRangeException.ThrowIfNegative(channelCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channelCount, channels - channelStart);
        Span<double> s = stackalloc double[Lanes];
        Span<double> q = stackalloc double[Lanes];
        for (int c = channelStart; c < channelStart + channelCount; c++)
        {
            s.Clear();
            q.Clear();
            for (int n = 0; n < images; n++)
            {
                Accumulate(x.Slice(((n * channels) + c) * plane, plane), s, q);
            }

            sum[c] = Combine(s);
            sumSquares[c] = Combine(q);
        }
    }

    private static double Combine(ReadOnlySpan<double> a) => ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));

    /// <summary>lanes[i mod 8] += values[i], squares[i mod 8] += values[i]², i in increasing order.</summary>
    private static void Accumulate(ReadOnlySpan<float> values, Span<double> lanes, Span<double> squares)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        ref double ls = ref MemoryMarshal.GetReference(lanes);
        ref double qs = ref MemoryMarshal.GetReference(squares);
        int n = values.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Lanes)
        {
            // Sixteen floats widen to lanes 0–7 (values i … i + 7), then again (values i + 8 … i + 15).
            Vector512<double> s = Vector512.LoadUnsafe(ref ls), q = Vector512.LoadUnsafe(ref qs);
            for (; i <= n - 16; i += 16)
            {
                (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref v, (nuint)i));
                s += lo;
                q += lo * lo;
                s += hi;
                q += hi * hi;
            }

            s.StoreUnsafe(ref ls);
            q.StoreUnsafe(ref qs);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Lanes)
        {
            Vector256<double> s0 = Vector256.LoadUnsafe(ref ls), s1 = Vector256.LoadUnsafe(ref ls, 4);
            Vector256<double> q0 = Vector256.LoadUnsafe(ref qs), q1 = Vector256.LoadUnsafe(ref qs, 4);
            for (; i <= n - Lanes; i += Lanes)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref v, (nuint)i));
                s0 += lo;
                q0 += lo * lo;
                s1 += hi;
                q1 += hi * hi;
            }

            s0.StoreUnsafe(ref ls);
            s1.StoreUnsafe(ref ls, 4);
            q0.StoreUnsafe(ref qs);
            q1.StoreUnsafe(ref qs, 4);
        }
        else if (Vector128.IsHardwareAccelerated && n - i >= Lanes)
        {
            Vector128<double> s0 = Vector128.LoadUnsafe(ref ls), s1 = Vector128.LoadUnsafe(ref ls, 2);
            Vector128<double> s2 = Vector128.LoadUnsafe(ref ls, 4), s3 = Vector128.LoadUnsafe(ref ls, 6);
            Vector128<double> q0 = Vector128.LoadUnsafe(ref qs), q1 = Vector128.LoadUnsafe(ref qs, 2);
            Vector128<double> q2 = Vector128.LoadUnsafe(ref qs, 4), q3 = Vector128.LoadUnsafe(ref qs, 6);
            for (; i <= n - Lanes; i += Lanes)
            {
                (Vector128<double> a, Vector128<double> b) = Vector128.Widen(Vector128.LoadUnsafe(ref v, (nuint)i));
                (Vector128<double> c, Vector128<double> d) = Vector128.Widen(Vector128.LoadUnsafe(ref v, (nuint)(i + 4)));
                s0 += a;
                q0 += a * a;
                s1 += b;
                q1 += b * b;
                s2 += c;
                q2 += c * c;
                s3 += d;
                q3 += d * d;
            }

            s0.StoreUnsafe(ref ls);
            s1.StoreUnsafe(ref ls, 2);
            s2.StoreUnsafe(ref ls, 4);
            s3.StoreUnsafe(ref ls, 6);
            q0.StoreUnsafe(ref qs);
            q1.StoreUnsafe(ref qs, 2);
            q2.StoreUnsafe(ref qs, 4);
            q3.StoreUnsafe(ref qs, 6);
        }

        for (; i < n; i++)
        {
            double d = Unsafe.Add(ref v, i);
            Unsafe.Add(ref ls, i % Lanes) += d;
            Unsafe.Add(ref qs, i % Lanes) += d * d;
        }
    }
}
