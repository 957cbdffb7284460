using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>An element-wise operation of one argument, with a scalar path and one path per vector width.</summary>
public interface IUnaryOperator
{
    float Invoke(float x);

    Vector128<float> Invoke(Vector128<float> x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise operation of two arguments, with a scalar path and one path per vector width.</summary>
public interface IBinaryOperator
{
    float Invoke(float x, float y);

    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>An element-wise operation of three arguments, with a scalar path and one path per vector width.</summary>
public interface ITernaryOperator
{
    float Invoke(float x, float y, float z);

    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

/// <summary>
/// The loops that own every vector width and the scalar tail, so that each operator is written once as a
/// tiny struct (the pattern of <c>TensorPrimitives</c>).
/// </summary>
/// <remarks>
/// The widest hardware-accelerated width is used (512, then 256, then 128 bits); the last partial vector
/// is done by the scalar path. Destination may alias any input exactly (in-place), never partially.
/// </remarks>
public static class ElementWise
{
    /// <summary>destination[i] = op(x[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i));
        }
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        CheckLengths(y.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        CheckLengths(x.Length, destination.Length);
        CheckLengths(y.Length, destination.Length);
        CheckLengths(z.Length, destination.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i));
        }
    }

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
