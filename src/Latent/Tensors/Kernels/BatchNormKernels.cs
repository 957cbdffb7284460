using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

/// <summary>The double-precision per-channel sums of a batch normalisation's backward pass (and of a 1-D one's statistics).</summary>
internal static class BatchNormKernels
{
    /// <summary>
    /// sum[j] = Σ_i a[i, j] and products[j] = Σ_i a[i, j]·b[i, j] over the rows of [rows, columns] matrices,
    /// accumulated in double in row order, for columns [columnStart, columnStart + columnCount) (sum and products
    /// hold all columns).
    /// </summary>
    /// <remarks>Each column is summed on its own, rows in order, so the result is the same for any vector width or split of the columns.</remarks>
    public static void ColumnProductSums(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rows, int columns, Span<double> sum, Span<double> products, int columnStart, int columnCount)
    {
        ChannelReductions.CheckSums(a.Length, b.Length, rows, columns, 1, sum.Length, products.Length, columnStart, columnCount);
        Span<double> s = sum.Slice(columnStart, columnCount);
        Span<double> q = products.Slice(columnStart, columnCount);
        s.Clear();
        q.Clear();
        for (int i = 0; i < rows; i++)
        {
            int offset = (i * columns) + columnStart;
            AccumulateColumns(a.Slice(offset, columnCount), b.Slice(offset, columnCount), s, q);
        }
    }

    /// <summary>y[i] = (x[i] − mean)·scale + shift: a batch normalisation's output for one channel's plane.</summary>
    /// <remarks>Rounded as written (a subtraction, a product, a sum; no fused multiply-add) on every path, so every instruction set gives the same bits.</remarks>
    public static void Normalize(ReadOnlySpan<float> x, float mean, float scale, float shift, Span<float> y)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"y holds {y.Length} values; x holds {x.Length}.", nameof(y));
        }

        ref float vx = ref MemoryMarshal.GetReference(x);
        ref float vy = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> m = Vector512.Create(mean), s = Vector512.Create(scale), b = Vector512.Create(shift);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (((Vector512.LoadUnsafe(ref vx, (nuint)i) - m) * s) + b).StoreUnsafe(ref vy, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            Vector256<float> m = Vector256.Create(mean), s = Vector256.Create(scale), b = Vector256.Create(shift);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (((Vector256.LoadUnsafe(ref vx, (nuint)i) - m) * s) + b).StoreUnsafe(ref vy, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && n - i >= Vector128<float>.Count)
        {
            Vector128<float> m = Vector128.Create(mean), s = Vector128.Create(scale), b = Vector128.Create(shift);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                (((Vector128.LoadUnsafe(ref vx, (nuint)i) - m) * s) + b).StoreUnsafe(ref vy, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref vy, i) = ((Unsafe.Add(ref vx, i) - mean) * scale) + shift;
        }
    }

    /// <summary>
    /// d[i] (+)= gy[i]·k + ((x[i] − mean)·u + v): a batch normalisation's input gradient for one channel's plane
    /// (added to d when <paramref name="accumulate"/>, else written).
    /// </summary>
    /// <remarks>Rounded as written on every path (no fused multiply-add), so every instruction set gives the same bits.</remarks>
    public static void InputGradient(ReadOnlySpan<float> gy, ReadOnlySpan<float> x, float k, float mean, float u, float v, Span<float> d, bool accumulate)
    {
        if (gy.Length != d.Length || x.Length != d.Length)
        {
            throw new ArgumentException($"gy, x and d hold {gy.Length}, {x.Length} and {d.Length} values; they must agree.", nameof(d));
        }

        ref float vg = ref MemoryMarshal.GetReference(gy);
        ref float vx = ref MemoryMarshal.GetReference(x);
        ref float vd = ref MemoryMarshal.GetReference(d);
        int n = d.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> kv = Vector512.Create(k), m = Vector512.Create(mean), uv = Vector512.Create(u), vv = Vector512.Create(v);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var value = (Vector512.LoadUnsafe(ref vg, (nuint)i) * kv) + (((Vector512.LoadUnsafe(ref vx, (nuint)i) - m) * uv) + vv);
                (accumulate ? Vector512.LoadUnsafe(ref vd, (nuint)i) + value : value).StoreUnsafe(ref vd, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            Vector256<float> kv = Vector256.Create(k), m = Vector256.Create(mean), uv = Vector256.Create(u), vv = Vector256.Create(v);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var value = (Vector256.LoadUnsafe(ref vg, (nuint)i) * kv) + (((Vector256.LoadUnsafe(ref vx, (nuint)i) - m) * uv) + vv);
                (accumulate ? Vector256.LoadUnsafe(ref vd, (nuint)i) + value : value).StoreUnsafe(ref vd, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated && n - i >= Vector128<float>.Count)
        {
            Vector128<float> kv = Vector128.Create(k), m = Vector128.Create(mean), uv = Vector128.Create(u), vv = Vector128.Create(v);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var value = (Vector128.LoadUnsafe(ref vg, (nuint)i) * kv) + (((Vector128.LoadUnsafe(ref vx, (nuint)i) - m) * uv) + vv);
                (accumulate ? Vector128.LoadUnsafe(ref vd, (nuint)i) + value : value).StoreUnsafe(ref vd, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float value = (Unsafe.Add(ref vg, i) * k) + (((Unsafe.Add(ref vx, i) - mean) * u) + v);
            Unsafe.Add(ref vd, i) = accumulate ? Unsafe.Add(ref vd, i) + value : value;
        }
    }


    /// <summary>sum[j] += a[j], products[j] += a[j]·b[j] for every j (each element on its own).</summary>
    private static void AccumulateColumns(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<double> sum, Span<double> products)
    {
        ref float va = ref MemoryMarshal.GetReference(a);
        ref float vb = ref MemoryMarshal.GetReference(b);
        ref double ls = ref MemoryMarshal.GetReference(sum);
        ref double ps = ref MemoryMarshal.GetReference(products);
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                (Vector512<double> alo, Vector512<double> ahi) = Vector512.Widen(Vector512.LoadUnsafe(ref va, (nuint)i));
                (Vector512<double> blo, Vector512<double> bhi) = Vector512.Widen(Vector512.LoadUnsafe(ref vb, (nuint)i));
                (Vector512.LoadUnsafe(ref ls, (nuint)i) + alo).StoreUnsafe(ref ls, (nuint)i);
                (Vector512.LoadUnsafe(ref ls, (nuint)(i + 8)) + ahi).StoreUnsafe(ref ls, (nuint)(i + 8));
                (Vector512.LoadUnsafe(ref ps, (nuint)i) + (alo * blo)).StoreUnsafe(ref ps, (nuint)i);
                (Vector512.LoadUnsafe(ref ps, (nuint)(i + 8)) + (ahi * bhi)).StoreUnsafe(ref ps, (nuint)(i + 8));
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                (Vector256<double> alo, Vector256<double> ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref va, (nuint)i));
                (Vector256<double> blo, Vector256<double> bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref vb, (nuint)i));
                (Vector256.LoadUnsafe(ref ls, (nuint)i) + alo).StoreUnsafe(ref ls, (nuint)i);
                (Vector256.LoadUnsafe(ref ls, (nuint)(i + 4)) + ahi).StoreUnsafe(ref ls, (nuint)(i + 4));
                (Vector256.LoadUnsafe(ref ps, (nuint)i) + (alo * blo)).StoreUnsafe(ref ps, (nuint)i);
                (Vector256.LoadUnsafe(ref ps, (nuint)(i + 4)) + (ahi * bhi)).StoreUnsafe(ref ps, (nuint)(i + 4));
            }
        }

        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref va, i);
            double y = Unsafe.Add(ref vb, i);
            Unsafe.Add(ref ls, i) += x;
            Unsafe.Add(ref ps, i) += x * y;
        }
    }
}
