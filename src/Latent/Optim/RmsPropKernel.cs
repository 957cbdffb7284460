using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Optim;

/// <summary>
/// One RMSprop update of a parameter in a single vectorised pass over θ, g and the state (the mean square, and
/// the mean gradient when centred and the momentum buffer when there is momentum).
/// </summary>
/// <remarks>
/// Per element, with d = g + λθ and κ = 1 − α: v ← α·v + κ·(d·d); centred: ḡ ← α·ḡ + κ·d and a = √(v − ḡ·ḡ) + ε,
/// else a = √v + ε; with momentum b ← μ·b + d / a and θ ← θ − η·b, else θ ← θ − η·(d / a). Every width and the
/// scalar tail evaluate the same expression in the same order (no fused multiply-add), so an element's result
/// does not depend on the vector width, its index or the length of the span. Averages below the smallest normal
/// float are flushed to 0 (<see cref="Subnormals"/>). The two options are
/// loop-invariant branches.
/// </remarks>
internal static class RmsPropKernel
{
    /// <param name="theta">θ.</param>
    /// <param name="squareAverage">v.</param>
    /// <param name="gradientAverage">ḡ (empty when not centred).</param>
    /// <param name="buffer">b (empty without momentum).</param>
    /// <param name="g">The gradient.</param>
    /// <param name="alpha">α.</param>
    /// <param name="decay">λ.</param>
    /// <param name="momentum">μ (0 for none).</param>
    /// <param name="learningRate">η.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="centered">Whether to divide by the centred (variance) estimate.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(
        Span<float> theta, Span<float> squareAverage, Span<float> gradientAverage, Span<float> buffer, ReadOnlySpan<float> g,
        float alpha, float decay, float momentum, float learningRate, float epsilon, bool centered)
    {
        int n = theta.Length;
        bool useMomentum = momentum != 0f;
        if (squareAverage.Length != n || g.Length != n || (centered && gradientAverage.Length != n) || (useMomentum && buffer.Length != n))
        {
            throw new ArgumentException(
                $"RMSprop: the parameter has {n} elements but the mean square, mean gradient, momentum buffer and g have {squareAverage.Length}, {gradientAverage.Length}, {buffer.Length} and {g.Length}.");
        }

        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float vr = ref MemoryMarshal.GetReference(squareAverage);
        ref float ar = ref MemoryMarshal.GetReference(gradientAverage);
        ref float br = ref MemoryMarshal.GetReference(buffer);
        ref float gr = ref MemoryMarshal.GetReference(g);
        float keep = 1f - alpha;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var eps = Vector512.Create(epsilon);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var th = Vector512.LoadUnsafe(ref t, (nuint)i);
                var d = Vector512.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var v = Subnormals.Flush((Vector512.LoadUnsafe(ref vr, (nuint)i) * alpha) + (keep * (d * d)));
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector512<float> avg;
                if (centered)
                {
                    var a = Subnormals.Flush((Vector512.LoadUnsafe(ref ar, (nuint)i) * alpha) + (keep * d));
                    a.StoreUnsafe(ref ar, (nuint)i);
                    avg = Vector512.Sqrt(v - (a * a)) + eps;
                }
                else
                {
                    avg = Vector512.Sqrt(v) + eps;
                }

                Vector512<float> step;
                if (useMomentum)
                {
                    step = Subnormals.Flush((Vector512.LoadUnsafe(ref br, (nuint)i) * momentum) + (d / avg));
                    step.StoreUnsafe(ref br, (nuint)i);
                }
                else
                {
                    step = d / avg;
                }

                (th - (learningRate * step)).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var eps = Vector256.Create(epsilon);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var th = Vector256.LoadUnsafe(ref t, (nuint)i);
                var d = Vector256.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var v = Subnormals.Flush((Vector256.LoadUnsafe(ref vr, (nuint)i) * alpha) + (keep * (d * d)));
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector256<float> avg;
                if (centered)
                {
                    var a = Subnormals.Flush((Vector256.LoadUnsafe(ref ar, (nuint)i) * alpha) + (keep * d));
                    a.StoreUnsafe(ref ar, (nuint)i);
                    avg = Vector256.Sqrt(v - (a * a)) + eps;
                }
                else
                {
                    avg = Vector256.Sqrt(v) + eps;
                }

                Vector256<float> step;
                if (useMomentum)
                {
                    step = Subnormals.Flush((Vector256.LoadUnsafe(ref br, (nuint)i) * momentum) + (d / avg));
                    step.StoreUnsafe(ref br, (nuint)i);
                }
                else
                {
                    step = d / avg;
                }

                (th - (learningRate * step)).StoreUnsafe(ref t, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var eps = Vector128.Create(epsilon);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var th = Vector128.LoadUnsafe(ref t, (nuint)i);
                var d = Vector128.LoadUnsafe(ref gr, (nuint)i) + (decay * th);
                var v = Subnormals.Flush((Vector128.LoadUnsafe(ref vr, (nuint)i) * alpha) + (keep * (d * d)));
                v.StoreUnsafe(ref vr, (nuint)i);
                Vector128<float> avg;
                if (centered)
                {
                    var a = Subnormals.Flush((Vector128.LoadUnsafe(ref ar, (nuint)i) * alpha) + (keep * d));
                    a.StoreUnsafe(ref ar, (nuint)i);
                    avg = Vector128.Sqrt(v - (a * a)) + eps;
                }
                else
                {
                    avg = Vector128.Sqrt(v) + eps;
                }

                Vector128<float> step;
                if (useMomentum)
                {
                    step = Subnormals.Flush((Vector128.LoadUnsafe(ref br, (nuint)i) * momentum) + (d / avg));
                    step.StoreUnsafe(ref br, (nuint)i);
                }
                else
                {
                    step = d / avg;
                }

                (th - (learningRate * step)).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref float theta1 = ref Unsafe.Add(ref t, i);
            float d = Unsafe.Add(ref gr, i) + (decay * theta1);
            ref float v = ref Unsafe.Add(ref vr, i);
            v = Subnormals.Flush((v * alpha) + (keep * (d * d)));
            float avg;
            if (centered)
            {
                ref float a = ref Unsafe.Add(ref ar, i);
                a = Subnormals.Flush((a * alpha) + (keep * d));
                avg = MathF.Sqrt(v - (a * a)) + epsilon;
            }
            else
            {
                avg = MathF.Sqrt(v) + epsilon;
            }

            float step;
            if (useMomentum)
            {
                ref float b = ref Unsafe.Add(ref br, i);
                b = Subnormals.Flush((b * momentum) + (d / avg));
                step = b;
            }
            else
            {
                step = d / avg;
            }

            theta1 -= learningRate * step;
        }
    }
}
