using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>An element-wise operation of one argument, with a scalar path and one path per vector width.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    Vector128<float> Invoke(Vector128<float> x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise operation of two arguments, with a scalar path and one path per vector width.</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);

    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>An element-wise operation of three arguments, with a scalar path and one path per vector width.</summary>
internal interface ITernaryOperator
{
    float Invoke(float x, float y, float z);

    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

/// <summary>
/// The loops that own every vector width and the tail, so that each operator is written once as a tiny
/// struct (the pattern of <c>TensorPrimitives</c>).
/// </summary>
/// <remarks>
/// The widest hardware-accelerated width is used (512, then 256, then 128 bits). Every element goes through
/// the vector path, so that its value does not depend on its index or on the length of the span: the last
/// partial vector is done as one whole vector ending at the last element (overlapping the one before, its
/// inputs loaded before anything is stored, so in-place calls stay right), and a span shorter than one vector
/// is copied into a zero-padded vector. The scalar path runs only where no vector width is accelerated.
/// Destination may alias any input exactly (in-place), never partially.
/// The loops are compiled fully optimised at once (as the GEMM's and the optimizers' kernels): at tier 0 their
/// vector code is several times slower, and a training process's first epochs ran on it.
/// </remarks>
internal static class ElementWise
{
    /// <summary>destination[i] = op(x[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        int n = x.Length;
        if (n < Width)
        {
            if (n == 0)
            {
                return;
            }

            if (Width > 1)
            {
                Span<float> px = stackalloc float[MaxWidth], pd = stackalloc float[MaxWidth];
                x.CopyTo(px);
                Map(op, px[..Width], pd[..Width]);
                pd[..n].CopyTo(destination);
                return;
            }
        }

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector512<float>.Count);
            var lastX = Vector512.LoadUnsafe(ref xs, last);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector256<float>.Count);
            var lastX = Vector256.LoadUnsafe(ref xs, last);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector128<float>.Count);
            var lastX = Vector128.LoadUnsafe(ref xs, last);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX).StoreUnsafe(ref ds, last);
            }
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i));
            }
        }
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        CheckLengths(y.Length, destination.Length);
        int n = x.Length;
        if (n < Width)
        {
            if (n == 0)
            {
                return;
            }

            if (Width > 1)
            {
                Span<float> px = stackalloc float[MaxWidth], py = stackalloc float[MaxWidth], pd = stackalloc float[MaxWidth];
                x.CopyTo(px);
                y.CopyTo(py);
                Map(op, px[..Width], py[..Width], pd[..Width]);
                pd[..n].CopyTo(destination);
                return;
            }
        }

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector512<float>.Count);
            var lastX = Vector512.LoadUnsafe(ref xs, last);
            var lastY = Vector512.LoadUnsafe(ref ys, last);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector256<float>.Count);
            var lastX = Vector256.LoadUnsafe(ref xs, last);
            var lastY = Vector256.LoadUnsafe(ref ys, last);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector128<float>.Count);
            var lastX = Vector128.LoadUnsafe(ref xs, last);
            var lastY = Vector128.LoadUnsafe(ref ys, last);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY).StoreUnsafe(ref ds, last);
            }
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
            }
        }
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        CheckLengths(y.Length, destination.Length);
        CheckLengths(z.Length, destination.Length);
        int n = x.Length;
        if (n < Width)
        {
            if (n == 0)
            {
                return;
            }

            if (Width > 1)
            {
                Span<float> px = stackalloc float[MaxWidth], py = stackalloc float[MaxWidth], pz = stackalloc float[MaxWidth], pd = stackalloc float[MaxWidth];
                x.CopyTo(px);
                y.CopyTo(py);
                z.CopyTo(pz);
                Map(op, px[..Width], py[..Width], pz[..Width], pd[..Width]);
                pd[..n].CopyTo(destination);
                return;
            }
        }

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector512<float>.Count);
            var lastX = Vector512.LoadUnsafe(ref xs, last);
            var lastY = Vector512.LoadUnsafe(ref ys, last);
            var lastZ = Vector512.LoadUnsafe(ref zs, last);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY, lastZ).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector256<float>.Count);
            var lastX = Vector256.LoadUnsafe(ref xs, last);
            var lastY = Vector256.LoadUnsafe(ref ys, last);
            var lastZ = Vector256.LoadUnsafe(ref zs, last);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY, lastZ).StoreUnsafe(ref ds, last);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            nuint last = (nuint)(n - Vector128<float>.Count);
            var lastX = Vector128.LoadUnsafe(ref xs, last);
            var lastY = Vector128.LoadUnsafe(ref ys, last);
            var lastZ = Vector128.LoadUnsafe(ref zs, last);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }

            if (i < n)
            {
                op.Invoke(lastX, lastY, lastZ).StoreUnsafe(ref ds, last);
            }
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i));
            }
        }
    }

    /// <summary>Floats in the widest accelerated vector (1 where none is).</summary>
    private static int Width => VectorBits / 32;

    /// <summary>Floats in a <see cref="Vector512{T}"/>: room for the padded copy of a short span at any width.</summary>
    private const int MaxWidth = 16;

    /// <summary>The widest vector width in use, in bits (512, 256, 128, or 32 for scalar).</summary>
    public static int VectorBits =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 32;

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"Spans differ in length: {source} and {destination}.", nameof(destination));
        }
    }
}
