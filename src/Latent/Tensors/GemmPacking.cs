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
}
