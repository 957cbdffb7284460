using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors;

/// <summary>The AVX2 micro-kernel: a 6 × 16 tile held in 12 ymm accumulators.</summary>
/// <remarks>
/// Twelve accumulators, two B vectors and one broadcast fill 15 of the 16 ymm registers.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx2 : IGemmKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static int KcMax => 256;

    public static int NcMax => 384;

    public static string Name => "avx2 6x16";

    /// <summary>The full 6 × 16 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store)
    {
        // The tile's rows are far apart in C: ask for them now so that the store does not wait.
        Sse.Prefetch0(c + (0 * ldc));
        Sse.Prefetch0(c + (1 * ldc));
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (5 * ldc));
        Vector256<float> c00 = default, c01 = default,
            c10 = default, c11 = default,
            c20 = default, c21 = default,
            c30 = default, c31 = default,
            c40 = default, c41 = default,
            c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            {
                Vector256<float> a0 = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                c01 = Fma.MultiplyAdd(a0, b1, c01);
                Vector256<float> a1 = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                c11 = Fma.MultiplyAdd(a1, b1, c11);
                Vector256<float> a2 = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                c21 = Fma.MultiplyAdd(a2, b1, c21);
                Vector256<float> a3 = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                c31 = Fma.MultiplyAdd(a3, b1, c31);
                Vector256<float> a4 = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                c41 = Fma.MultiplyAdd(a4, b1, c41);
                Vector256<float> a5 = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
                c51 = Fma.MultiplyAdd(a5, b1, c51);
            }

            a += 6;
            b += 16;
        }

        Store2(c + (0 * ldc), c00, c01, bias, store);
        Store2(c + (1 * ldc), c10, c11, bias, store);
        Store2(c + (2 * ldc), c20, c21, bias, store);
        Store2(c + (3 * ldc), c30, c31, bias, store);
        Store2(c + (4 * ldc), c40, c41, bias, store);
        Store2(c + (5 * ldc), c50, c51, bias, store);
    }

    /// <summary>The left 6 × 8 half of the tile (the B sliver is still 16 wide), for a last column block of at most 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store)
    {
        // The tile's rows are far apart in C: ask for them now so that the store does not wait.
        Sse.Prefetch0(c + (0 * ldc));
        Sse.Prefetch0(c + (1 * ldc));
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (5 * ldc));
        Vector256<float> c00 = default,
            c10 = default,
            c20 = default,
            c30 = default,
            c40 = default,
            c50 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            {
                Vector256<float> a0 = Vector256.Create(a[0]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                Vector256<float> a1 = Vector256.Create(a[1]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                Vector256<float> a2 = Vector256.Create(a[2]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                Vector256<float> a3 = Vector256.Create(a[3]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                Vector256<float> a4 = Vector256.Create(a[4]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                Vector256<float> a5 = Vector256.Create(a[5]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
            }

            a += 6;
            b += 16;
        }

        Store1(c + (0 * ldc), c00, bias, store);
        Store1(c + (1 * ldc), c10, bias, store);
        Store1(c + (2 * ldc), c20, bias, store);
        Store1(c + (3 * ldc), c30, bias, store);
        Store1(c + (4 * ldc), c40, bias, store);
        Store1(c + (5 * ldc), c50, bias, store);
    }

    /// <summary>Stores two adjacent vectors of one output row: the same as two <see cref="Store1"/> calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector256<float> p0, Vector256<float> p1, float* bias, in GemmStore store)
    {
        Store1(c, p0, bias, store);
        Store1(c + Vector256<float>.Count, p1, bias == null ? null : bias + Vector256<float>.Count, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(float* c, Vector256<float> p0, float* bias, in GemmStore store)
    {
        Vector256<float> alpha = Vector256.Create(store.Alpha);
        Vector256<float> r0;
        switch (store.Mode)
        {
            case GemmStoreMode.Overwrite:
                r0 = p0 * alpha;
                break;
            case GemmStoreMode.ScaleAdd:
                Vector256<float> beta = Vector256.Create(store.Beta);
                r0 = Fma.MultiplyAdd(Vector256.Load(c), beta, p0 * alpha);
                break;
            default:
                r0 = Fma.MultiplyAdd(p0, alpha, Vector256.Load(c));
                break;
        }

        if (bias != null)
        {
            r0 += Vector256.Load(bias);
        }

        if (store.Activation == Activation.Relu)
        {
            r0 = Vector256.Max(r0, Vector256<float>.Zero);
        }
        else if (store.Activation == Activation.LeakyRelu)
        {
            Vector256<float> slope = Vector256.Create(store.Slope);
            r0 = Vector256.ConditionalSelect(Vector256.GreaterThan(r0, Vector256<float>.Zero), r0, r0 * slope);
        }

        Vector256.Store(r0, c);
    }
}
