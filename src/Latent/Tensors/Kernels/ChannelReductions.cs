using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>Per-channel reductions over NCHW images (the batch statistics of a 2-D batch normalisation).</summary>
internal static class ChannelReductions
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
        ReadOnlySpan<float> x, int images, int channels, int plane, Span<double> sum, Span<double> sumSquares, int channelStart, int channelCount) =>
        ChannelProductSums(x, x, images, channels, plane, sum, sumSquares, channelStart, channelCount);

    /// <summary>
    /// sum[c] = Σ_n Σ_p a[n, c, p] and products[c] = Σ_n Σ_p a[n, c, p]·b[n, c, p], accumulated in double, for
    /// channels [channelStart, channelStart + channelCount) (sum and products hold all C).
    /// </summary>
    /// <remarks>
    /// The order is that of <see cref="ChannelReductions.ChannelSums(ReadOnlySpan{float}, int, int, int, Span{double}, Span{double})"/>:
    /// value p of each plane goes to accumulator p mod 8, images in order, and the eight are combined as
    /// ((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + (a₆ + a₇)); a product of two floats is exact in double, so the result
    /// is bitwise the same on every instruction set and for any split of the channels (with b = a it equals
    /// ChannelSums' sum of squares).
    /// </remarks>
    public static void ChannelProductSums(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int images, int channels, int plane, Span<double> sum, Span<double> products, int channelStart, int channelCount)
    {
        CheckSums(a.Length, b.Length, images, channels, plane, sum.Length, products.Length, channelStart, channelCount);
        Span<double> s = stackalloc double[Lanes];
        Span<double> q = stackalloc double[Lanes];
        for (int c = channelStart; c < channelStart + channelCount; c++)
        {
            s.Clear();
            q.Clear();
            for (int n = 0; n < images; n++)
            {
                int offset = ((n * channels) + c) * plane;
                Accumulate(a.Slice(offset, plane), b.Slice(offset, plane), s, q);
            }

            sum[c] = Combine(s);
            products[c] = Combine(q);
        }
    }

    internal static void CheckSums(int aLength, int bLength, int images, int channels, int plane, int sumLength, int productsLength, int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(plane);
        long expected = (long)images * channels * plane;
        if (aLength != expected || bLength != expected)
        {
            throw new ArgumentException($"The inputs hold {aLength} and {bLength} values; [{images}, {channels}, {plane}] needs {expected}.");
        }

        if (sumLength != channels || productsLength != channels)
        {
            throw new ArgumentException($"The sums hold {sumLength} and {productsLength} values; the inputs have {channels} channels.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, channels - start);
    }

    private static double Combine(ReadOnlySpan<double> a) => ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));

    /// <summary>lanes[i mod 8] += a[i], products[i mod 8] += a[i]·b[i], i in increasing order.</summary>
    private static void Accumulate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<double> lanes, Span<double> products)
    {
        ref float va = ref MemoryMarshal.GetReference(a);
        ref float vb = ref MemoryMarshal.GetReference(b);
        ref double ls = ref MemoryMarshal.GetReference(lanes);
        ref double ps = ref MemoryMarshal.GetReference(products);
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            // Sixteen floats widen to lanes 0–7 (values i … i + 7), then again (values i + 8 … i + 15).
            Vector512<double> s = Vector512.LoadUnsafe(ref ls), p = Vector512.LoadUnsafe(ref ps);
            for (; i <= n - 16; i += 16)
            {
                (Vector512<double> alo, Vector512<double> ahi) = Vector512.Widen(Vector512.LoadUnsafe(ref va, (nuint)i));
                (Vector512<double> blo, Vector512<double> bhi) = Vector512.Widen(Vector512.LoadUnsafe(ref vb, (nuint)i));
                s += alo;
                p += alo * blo;
                s += ahi;
                p += ahi * bhi;
            }

            s.StoreUnsafe(ref ls);
            p.StoreUnsafe(ref ps);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Lanes)
        {
            Vector256<double> s0 = Vector256.LoadUnsafe(ref ls), s1 = Vector256.LoadUnsafe(ref ls, 4);
            Vector256<double> p0 = Vector256.LoadUnsafe(ref ps), p1 = Vector256.LoadUnsafe(ref ps, 4);
            for (; i <= n - Lanes; i += Lanes)
            {
                (Vector256<double> alo, Vector256<double> ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref va, (nuint)i));
                (Vector256<double> blo, Vector256<double> bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref vb, (nuint)i));
                s0 += alo;
                p0 += alo * blo;
                s1 += ahi;
                p1 += ahi * bhi;
            }

            s0.StoreUnsafe(ref ls);
            s1.StoreUnsafe(ref ls, 4);
            p0.StoreUnsafe(ref ps);
            p1.StoreUnsafe(ref ps, 4);
        }

        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref va, i);
            double y = Unsafe.Add(ref vb, i);
            Unsafe.Add(ref ls, i % Lanes) += x;
            Unsafe.Add(ref ps, i % Lanes) += x * y;
        }
    }
}
