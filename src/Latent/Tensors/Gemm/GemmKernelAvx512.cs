using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors;

/// <summary>The AVX-512 micro-kernel: a 12 × 32 tile held in 24 zmm accumulators.</summary>
/// <remarks>
/// Each step p loads two vectors of B (32 columns) and broadcasts 12 values of A, for 24 independent fused
/// multiply-adds: enough to hide the FMA latency while leaving registers for the operands.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx512 : IGemmKernel
{
    public static int Mr => 12;

    public static int Nr => 32;

    public static int KcMax => 800;

    public static int NcMax => 512;

    public static string Name => "avx512 12x32";

    /// <summary>The full 12 × 32 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store)
    {
        // The tile's rows are far apart in C: ask for them now so that the store does not wait.
        Sse.Prefetch0(c + (0 * ldc));
        Sse.Prefetch0(c + (0 * ldc) + 16);
        Sse.Prefetch0(c + (1 * ldc));
        Sse.Prefetch0(c + (1 * ldc) + 16);
        Sse.Prefetch0(c + (2 * ldc));
        Sse.Prefetch0(c + (2 * ldc) + 16);
        Sse.Prefetch0(c + (3 * ldc));
        Sse.Prefetch0(c + (3 * ldc) + 16);
        Sse.Prefetch0(c + (4 * ldc));
        Sse.Prefetch0(c + (4 * ldc) + 16);
        Sse.Prefetch0(c + (5 * ldc));
        Sse.Prefetch0(c + (5 * ldc) + 16);
        Sse.Prefetch0(c + (6 * ldc));
        Sse.Prefetch0(c + (6 * ldc) + 16);
        Sse.Prefetch0(c + (7 * ldc));
        Sse.Prefetch0(c + (7 * ldc) + 16);
        Sse.Prefetch0(c + (8 * ldc));
        Sse.Prefetch0(c + (8 * ldc) + 16);
        Sse.Prefetch0(c + (9 * ldc));
        Sse.Prefetch0(c + (9 * ldc) + 16);
        Sse.Prefetch0(c + (10 * ldc));
        Sse.Prefetch0(c + (10 * ldc) + 16);
        Sse.Prefetch0(c + (11 * ldc));
        Sse.Prefetch0(c + (11 * ldc) + 16);
        Vector512<float> c00 = default, c01 = default,
            c10 = default, c11 = default,
            c20 = default, c21 = default,
            c30 = default, c31 = default,
            c40 = default, c41 = default,
            c50 = default, c51 = default,
            c60 = default, c61 = default,
            c70 = default, c71 = default,
            c80 = default, c81 = default,
            c90 = default, c91 = default,
            c100 = default, c101 = default,
            c110 = default, c111 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            {
                Vector512<float> a0 = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
                Vector512<float> a1 = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
                Vector512<float> a2 = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
                Vector512<float> a3 = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
                Vector512<float> a4 = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
                Vector512<float> a5 = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
                Vector512<float> a6 = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
                Vector512<float> a7 = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
                Vector512<float> a8 = Vector512.Create(a[8]);
                c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
                c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
                Vector512<float> a9 = Vector512.Create(a[9]);
                c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
                c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
                Vector512<float> a10 = Vector512.Create(a[10]);
                c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
                c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
                Vector512<float> a11 = Vector512.Create(a[11]);
                c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
                c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            }

            a += 12;
            b += 32;
        }

        Store2(c + (0 * ldc), c00, c01, bias, store);
        Store2(c + (1 * ldc), c10, c11, bias, store);
        Store2(c + (2 * ldc), c20, c21, bias, store);
        Store2(c + (3 * ldc), c30, c31, bias, store);
        Store2(c + (4 * ldc), c40, c41, bias, store);
        Store2(c + (5 * ldc), c50, c51, bias, store);
        Store2(c + (6 * ldc), c60, c61, bias, store);
        Store2(c + (7 * ldc), c70, c71, bias, store);
        Store2(c + (8 * ldc), c80, c81, bias, store);
        Store2(c + (9 * ldc), c90, c91, bias, store);
        Store2(c + (10 * ldc), c100, c101, bias, store);
        Store2(c + (11 * ldc), c110, c111, bias, store);
    }

    /// <summary>The left 12 × 16 half of the tile (the B sliver is still 32 wide), for a last column block of at most 16.</summary>
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
        Sse.Prefetch0(c + (6 * ldc));
        Sse.Prefetch0(c + (7 * ldc));
        Sse.Prefetch0(c + (8 * ldc));
        Sse.Prefetch0(c + (9 * ldc));
        Sse.Prefetch0(c + (10 * ldc));
        Sse.Prefetch0(c + (11 * ldc));
        Vector512<float> c00 = default,
            c10 = default,
            c20 = default,
            c30 = default,
            c40 = default,
            c50 = default,
            c60 = default,
            c70 = default,
            c80 = default,
            c90 = default,
            c100 = default,
            c110 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            {
                Vector512<float> a0 = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
                Vector512<float> a1 = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                Vector512<float> a2 = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                Vector512<float> a3 = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                Vector512<float> a4 = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                Vector512<float> a5 = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                Vector512<float> a6 = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                Vector512<float> a7 = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                Vector512<float> a8 = Vector512.Create(a[8]);
                c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
                Vector512<float> a9 = Vector512.Create(a[9]);
                c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
                Vector512<float> a10 = Vector512.Create(a[10]);
                c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
                Vector512<float> a11 = Vector512.Create(a[11]);
                c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
            }

            a += 12;
            b += 32;
        }

        Store1(c + (0 * ldc), c00, bias, store);
        Store1(c + (1 * ldc), c10, bias, store);
        Store1(c + (2 * ldc), c20, bias, store);
        Store1(c + (3 * ldc), c30, bias, store);
        Store1(c + (4 * ldc), c40, bias, store);
        Store1(c + (5 * ldc), c50, bias, store);
        Store1(c + (6 * ldc), c60, bias, store);
        Store1(c + (7 * ldc), c70, bias, store);
        Store1(c + (8 * ldc), c80, bias, store);
        Store1(c + (9 * ldc), c90, bias, store);
        Store1(c + (10 * ldc), c100, bias, store);
        Store1(c + (11 * ldc), c110, bias, store);
    }

    /// <summary>Stores two adjacent vectors of one output row: the same as two <see cref="Store1"/> calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector512<float> p0, Vector512<float> p1, float* bias, in GemmStore store)
    {
        Store1(c, p0, bias, store);
        Store1(c + Vector512<float>.Count, p1, bias == null ? null : bias + Vector512<float>.Count, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(float* c, Vector512<float> p0, float* bias, in GemmStore store)
    {
        Vector512<float> alpha = Vector512.Create(store.Alpha);
        Vector512<float> r0;
        switch (store.Mode)
        {
            case GemmStoreMode.Overwrite:
                r0 = p0 * alpha;
                break;
            case GemmStoreMode.ScaleAdd:
                Vector512<float> beta = Vector512.Create(store.Beta);
                r0 = Avx512F.FusedMultiplyAdd(Vector512.Load(c), beta, p0 * alpha);
                break;
            default:
                r0 = Avx512F.FusedMultiplyAdd(p0, alpha, Vector512.Load(c));
                break;
        }

        if (bias != null)
        {
            r0 += Vector512.Load(bias);
        }

        if (store.Activation == Activation.Relu)
        {
            r0 = Vector512.Max(r0, Vector512<float>.Zero);
        }
        else if (store.Activation == Activation.LeakyRelu)
        {
            Vector512<float> slope = Vector512.Create(store.Slope);
            r0 = Vector512.ConditionalSelect(Vector512.GreaterThan(r0, Vector512<float>.Zero), r0, r0 * slope);
        }

        Vector512.Store(r0, c);
    }
}
