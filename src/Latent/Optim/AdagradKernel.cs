using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Optim;

/// <summary>One Adagrad update of a parameter in a single vectorised pass over θ, the accumulator and g.</summary>
/// <remarks>
/// Per element, with d = g + λθ: s ← s + d·d, θ ← θ − η_t·(d / (√s + ε)). Every width and the scalar tail
/// evaluate the same expression in the same order (no fused multiply-add), so an element's result does not
/// depend on the vector width, its index or the length of the span.
/// </remarks>
internal static class AdagradKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(Span<float> theta, Span<float> sum, ReadOnlySpan<float> g, float decay, float stepSize, float epsilon)
    {
        int n = theta.Length;
        if (sum.Length != n || g.Length != n)
        {
            throw new ArgumentException($"Adagrad: the parameter has {n} elements but the sum and g have {sum.Length} and {g.Length}.");
        }

        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        ref float gr = ref MemoryMarshal.GetReference(g);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var eps = Vector512.Create(epsilon);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var th = Vector512.LoadUnsafe(ref t, (nuint)i);
                var d = Vector512.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var s = Vector512.LoadUnsafe(ref sr, (nuint)i) + (d * d);
                s.StoreUnsafe(ref sr, (nuint)i);
                (th - (stepSize * (d / (Vector512.Sqrt(s) + eps)))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var eps = Vector256.Create(epsilon);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var th = Vector256.LoadUnsafe(ref t, (nuint)i);
                var d = Vector256.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var s = Vector256.LoadUnsafe(ref sr, (nuint)i) + (d * d);
                s.StoreUnsafe(ref sr, (nuint)i);
                (th - (stepSize * (d / (Vector256.Sqrt(s) + eps)))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var eps = Vector128.Create(epsilon);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var th = Vector128.LoadUnsafe(ref t, (nuint)i);
                var d = Vector128.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var s = Vector128.LoadUnsafe(ref sr, (nuint)i) + (d * d);
                s.StoreUnsafe(ref sr, (nuint)i);
                (th - (stepSize * (d / (Vector128.Sqrt(s) + eps)))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Scalar(ref Unsafe.Add(ref t, i), ref Unsafe.Add(ref sr, i), Unsafe.Add(ref gr, i), decay, stepSize, epsilon);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scalar(ref float theta, ref float sum, float g, float decay, float stepSize, float epsilon)
    {
        float d = g + (decay * theta);
        sum += d * d;
        theta -= stepSize * (d / (MathF.Sqrt(sum) + epsilon));
    }
}
