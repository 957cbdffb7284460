using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Optim;

/// <summary>
/// One Adam update of a parameter in a single vectorised pass: m, v and θ are read and written once each and
/// g read once, where three passes (m, then v, then θ) would stream the four arrays three times.
/// </summary>
/// <remarks>
/// Per element, with d = g + λθ (λ = 0 for decoupled decay): m ← β₁·m + (1 − β₁)·d, v ← β₂·v + (1 − β₂)·d·d,
/// θ ← s·θ − α·m / (√v / c + ε). Every width evaluates the same expression in the same order, so the result
/// does not depend on the vector width or on where the tail starts.
/// </remarks>
internal static class AdamKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(
        Span<float> theta, Span<float> m, Span<float> v, ReadOnlySpan<float> g,
        float beta1, float beta2, float decay, float shrink, float stepSize, float correction2, float epsilon)
    {
        int n = theta.Length;
        if (m.Length != n || v.Length != n || g.Length != n)
        {
            throw new ArgumentException($"Adam: the parameter has {n} elements but m, v and g have {m.Length}, {v.Length} and {g.Length}.");
        }

        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float gr = ref MemoryMarshal.GetReference(g);
        float keep1 = 1f - beta1, keep2 = 1f - beta2;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var th = Vector512.LoadUnsafe(ref t, (nuint)i);
                var d = Vector512.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var mi = Subnormals.Flush((Vector512.LoadUnsafe(ref mr, (nuint)i) * beta1) + (keep1 * d));
                var vi = Subnormals.Flush((Vector512.LoadUnsafe(ref vr, (nuint)i) * beta2) + (keep2 * d * d));
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                ((th * shrink) - (stepSize * (mi / ((Vector512.Sqrt(vi) / correction2) + Vector512.Create(epsilon))))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var th = Vector256.LoadUnsafe(ref t, (nuint)i);
                var d = Vector256.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var mi = Subnormals.Flush((Vector256.LoadUnsafe(ref mr, (nuint)i) * beta1) + (keep1 * d));
                var vi = Subnormals.Flush((Vector256.LoadUnsafe(ref vr, (nuint)i) * beta2) + (keep2 * d * d));
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                ((th * shrink) - (stepSize * (mi / ((Vector256.Sqrt(vi) / correction2) + Vector256.Create(epsilon))))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var th = Vector128.LoadUnsafe(ref t, (nuint)i);
                var d = Vector128.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var mi = Subnormals.Flush((Vector128.LoadUnsafe(ref mr, (nuint)i) * beta1) + (keep1 * d));
                var vi = Subnormals.Flush((Vector128.LoadUnsafe(ref vr, (nuint)i) * beta2) + (keep2 * d * d));
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                ((th * shrink) - (stepSize * (mi / ((Vector128.Sqrt(vi) / correction2) + Vector128.Create(epsilon))))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Scalar(ref Unsafe.Add(ref t, i), ref Unsafe.Add(ref mr, i), ref Unsafe.Add(ref vr, i), Unsafe.Add(ref gr, i), beta1, beta2, keep1, keep2, decay, shrink, stepSize, correction2, epsilon);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scalar(ref float theta, ref float m, ref float v, float g, float beta1, float beta2, float keep1, float keep2, float decay, float shrink, float stepSize, float correction2, float epsilon)
    {
        float d = g + (decay * theta);
        m = Subnormals.Flush((m * beta1) + (keep1 * d));
        v = Subnormals.Flush((v * beta2) + (keep2 * d * d));
        theta = (theta * shrink) - (stepSize * (m / ((MathF.Sqrt(v) / correction2) + epsilon)));
    }
}
