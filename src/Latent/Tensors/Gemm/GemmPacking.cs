using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors;

/// <summary>
/// Packs panels of A and B into the p-major slivers the micro-kernels read: sliver[p·width + r] is the
/// r-th row (of A) or column (of B) of the tile at step p, zero beyond the matrix's edge. The GEMM's form is
/// resolved here, so a micro-kernel never knows which operand was transposed.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs rows [i0, i0 + rows) of op(A) over steps [p0, p0 + kc) into one sliver of width mr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(GemmForm form, float* a, nint lda, int i0, int rows, int p0, int kc, float* dest, int mr)
    {
        if (form == GemmForm.AtB)
        {
            // A is stored [k, m]: each step p reads a contiguous run of rows.
            Copy(a + (p0 * lda) + i0, lda, rows, kc, dest, mr);
        }
        else
        {
            // A is stored [m, k]: each row of A becomes a column of the sliver.
            Transpose(a + (i0 * lda) + p0, lda, rows, kc, dest, mr);
        }
    }

    /// <summary>Packs columns [j0, j0 + columns) of op(B) over steps [p0, p0 + kc) into slivers of width nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(GemmForm form, float* b, nint ldb, int j0, int columns, int p0, int kc, float* dest, int nr)
    {
        for (int j = 0; j < columns; j += nr)
        {
            int width = Math.Min(nr, columns - j);
            float* sliver = dest + ((nint)j * kc);
            if (form == GemmForm.ABt)
            {
                // B is stored [n, k]: each row of B becomes a column of the sliver.
                Transpose(b + ((j0 + j) * ldb) + p0, ldb, width, kc, sliver, nr);
            }
            else
            {
                Copy(b + (p0 * ldb) + j0 + j, ldb, width, kc, sliver, nr);
            }
        }
    }

    /// <summary>dest[p·width + r] = src[p·ld + r] for r &lt; count, 0 for count ≤ r &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy(float* src, nint ld, int count, int kc, float* dest, int width)
    {
        for (int p = 0; p < kc; p++, src += ld, dest += width)
        {
            int r = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; r <= count - 8; r += 8)
                {
                    Vector256.Store(Vector256.Load(src + r), dest + r);
                }
            }

            for (; r <= count - 4; r += 4)
            {
                Vector128.Store(Vector128.Load(src + r), dest + r);
            }

            for (; r < count; r++)
            {
                dest[r] = src[r];
            }

            for (; r < width; r++)
            {
                dest[r] = 0f;
            }
        }
    }

    /// <summary>dest[p·width + r] = src[r·ld + p] for r &lt; count, 0 for count ≤ r &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(float* src, nint ld, int count, int kc, float* dest, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            // Eight rows at a time, eight steps at a time, by 8 × 8 register transposes.
            r = count / 8 * 8;
            Transpose8(src, ld, r / 8, kc, dest, width);
        }

        if (Sse.IsSupported)
        {
            // Four rows at a time, four steps at a time, by 4 × 4 register transposes.
            for (; r <= count - 4; r += 4)
            {
                float* s0 = src + (r * ld), s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                float* d = dest + r;
                int p = 0;
                for (; p <= kc - 4; p += 4, d += 4 * width)
                {
                    Vector128<float> t0 = Sse.UnpackLow(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    Vector128<float> t1 = Sse.UnpackLow(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    Vector128<float> t2 = Sse.UnpackHigh(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    Vector128<float> t3 = Sse.UnpackHigh(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    Vector128.Store(Sse.MoveLowToHigh(t0, t1), d);
                    Vector128.Store(Sse.MoveHighToLow(t1, t0), d + width);
                    Vector128.Store(Sse.MoveLowToHigh(t2, t3), d + (2 * width));
                    Vector128.Store(Sse.MoveHighToLow(t3, t2), d + (3 * width));
                }

                for (; p < kc; p++, d += width)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                    d[2] = s2[p];
                    d[3] = s3[p];
                }
            }
        }

        for (; r < count; r++)
        {
            float* s = src + (r * ld);
            for (int p = 0; p < kc; p++)
            {
                dest[(p * width) + r] = s[p];
            }
        }

        for (; r < width; r++)
        {
            for (int p = 0; p < kc; p++)
            {
                dest[(p * width) + r] = 0f;
            }
        }
    }

    /// <summary>Transposes groups × 8 rows of kc steps into columns 0 … 8·groups − 1 of the sliver.</summary>
    /// <remarks>
    /// Steps are the outer loop, so that each 8-step slab of the sliver (8·width floats) is completed while
    /// it is in L1: a 32-wide sliver of a few hundred steps is larger than L1.
    /// </remarks>
    // Fully optimised from the first call, as the packing routines that call it: at tier 0 its vector code ran
    // several times slower, and a two-thread product lost half its speed for the first second of a process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8(float* src, nint ld, int groups, int kc, float* dest, int width)
    {
        int p = 0;
        for (; p <= kc - 8; p += 8)
        {
            for (int g = 0; g < groups; g++)
            {
                float* s = src + (g * 8 * ld) + p;
                float* d = dest + (p * width) + (g * 8);
                Vector256<float> t0 = Avx.UnpackLow(Avx.LoadVector256(s), Avx.LoadVector256(s + ld));
                Vector256<float> t1 = Avx.UnpackHigh(Avx.LoadVector256(s), Avx.LoadVector256(s + ld));
                Vector256<float> t2 = Avx.UnpackLow(Avx.LoadVector256(s + (2 * ld)), Avx.LoadVector256(s + (3 * ld)));
                Vector256<float> t3 = Avx.UnpackHigh(Avx.LoadVector256(s + (2 * ld)), Avx.LoadVector256(s + (3 * ld)));
                Vector256<float> t4 = Avx.UnpackLow(Avx.LoadVector256(s + (4 * ld)), Avx.LoadVector256(s + (5 * ld)));
                Vector256<float> t5 = Avx.UnpackHigh(Avx.LoadVector256(s + (4 * ld)), Avx.LoadVector256(s + (5 * ld)));
                Vector256<float> t6 = Avx.UnpackLow(Avx.LoadVector256(s + (6 * ld)), Avx.LoadVector256(s + (7 * ld)));
                Vector256<float> t7 = Avx.UnpackHigh(Avx.LoadVector256(s + (6 * ld)), Avx.LoadVector256(s + (7 * ld)));
                Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
                Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
                Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
                Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
                Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(d + (2 * width), Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(d + (3 * width), Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(d + (4 * width), Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(d + (5 * width), Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(d + (6 * width), Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(d + (7 * width), Avx.Permute2x128(u3, u7, 0x31));
            }
        }

        for (; p < kc; p++)
        {
            for (int i = 0; i < groups * 8; i++)
            {
                dest[(p * width) + i] = src[(i * ld) + p];
            }
        }
    }
}
