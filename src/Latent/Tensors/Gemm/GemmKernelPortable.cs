using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Tensors;

/// <summary>The portable micro-kernel for machines with neither AVX-512 nor AVX2: a 4 × 8 tile of Vector128.</summary>
/// <remarks>
/// No fused multiply-add is assumed (each step multiplies, then adds); 8 accumulators, two B vectors and a
/// broadcast fit in the 16 registers of any SIMD instruction set.
/// </remarks>
internal readonly unsafe struct GemmKernelPortable : IGemmKernel
{
    public static int Mr => 4;

    public static int Nr => 8;

    public static int KcMax => 256;

    public static int NcMax => 256;

    public static string Name => "portable 4x8";

    /// <summary>The full 4 × 8 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store)
    {
        Vector128<float> c00 = default, c01 = default,
            c10 = default, c11 = default,
            c20 = default, c21 = default,
            c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            Vector128<float> b1 = Vector128.Load(b + 4);
            {
                Vector128<float> a0 = Vector128.Create(a[0]);
                c00 = c00 + (a0 * b0);
                c01 = c01 + (a0 * b1);
                Vector128<float> a1 = Vector128.Create(a[1]);
                c10 = c10 + (a1 * b0);
                c11 = c11 + (a1 * b1);
                Vector128<float> a2 = Vector128.Create(a[2]);
                c20 = c20 + (a2 * b0);
                c21 = c21 + (a2 * b1);
                Vector128<float> a3 = Vector128.Create(a[3]);
                c30 = c30 + (a3 * b0);
                c31 = c31 + (a3 * b1);
            }

            a += 4;
            b += 8;
        }

        Store2(c + (0 * ldc), c00, c01, bias, store);
        Store2(c + (1 * ldc), c10, c11, bias, store);
        Store2(c + (2 * ldc), c20, c21, bias, store);
        Store2(c + (3 * ldc), c30, c31, bias, store);
    }

    /// <summary>The left 4 × 4 half of the tile (the B sliver is still 8 wide), for a last column block of at most 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store)
    {
        Vector128<float> c00 = default,
            c10 = default,
            c20 = default,
            c30 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            {
                Vector128<float> a0 = Vector128.Create(a[0]);
                c00 = c00 + (a0 * b0);
                Vector128<float> a1 = Vector128.Create(a[1]);
                c10 = c10 + (a1 * b0);
                Vector128<float> a2 = Vector128.Create(a[2]);
                c20 = c20 + (a2 * b0);
                Vector128<float> a3 = Vector128.Create(a[3]);
                c30 = c30 + (a3 * b0);
            }

            a += 4;
            b += 8;
        }

        Store1(c + (0 * ldc), c00, bias, store);
        Store1(c + (1 * ldc), c10, bias, store);
        Store1(c + (2 * ldc), c20, bias, store);
        Store1(c + (3 * ldc), c30, bias, store);
    }

    /// <summary>Stores two adjacent vectors of one output row: the same as two <see cref="Store1"/> calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector128<float> p0, Vector128<float> p1, float* bias, in GemmStore store)
    {
        Store1(c, p0, bias, store);
        Store1(c + Vector128<float>.Count, p1, bias == null ? null : bias + Vector128<float>.Count, store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(float* c, Vector128<float> p0, float* bias, in GemmStore store)
    {
        Vector128<float> alpha = Vector128.Create(store.Alpha);
        Vector128<float> r0;
        switch (store.Mode)
        {
            case GemmStoreMode.Overwrite:
                r0 = p0 * alpha;
                break;
            case GemmStoreMode.ScaleAdd:
                Vector128<float> beta = Vector128.Create(store.Beta);
                r0 = p0 * alpha + (Vector128.Load(c) * beta);
                break;
            default:
                r0 = Vector128.Load(c) + (p0 * alpha);
                break;
        }

        if (bias != null)
        {
            r0 += Vector128.Load(bias);
        }

        if (store.Activation == Activation.Relu)
        {
            r0 = Vector128.Max(r0, Vector128<float>.Zero);
        }
        else if (store.Activation == Activation.LeakyRelu)
        {
            Vector128<float> slope = Vector128.Create(store.Slope);
            r0 = Vector128.ConditionalSelect(Vector128.GreaterThan(r0, Vector128<float>.Zero), r0, r0 * slope);
        }

        Vector128.Store(r0, c);
    }
}
