using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

/// <summary>
/// Single-precision general matrix multiply: C = α·op(A)·op(B) + β·C, then an optional epilogue
/// (bias row, activation). Row-major, with leading dimensions.
/// </summary>
/// <remarks>
/// A packed, cache-blocked SGEMM with a register-tiled FMA micro-kernel: AVX-512 (12 × 32 tile) where
/// <see cref="Vector512.IsHardwareAccelerated"/>, AVX2 + FMA (6 × 16) otherwise, and a portable
/// <see cref="Vector128"/> kernel (4 × 8) on other machines. The three forms differ only in how panels are
/// packed. Large products are split over up to <see cref="Parallelism.MaxThreads"/> threads (the limit of
/// the calling context; see <see cref="Parallelism.Limit"/>) by blocks of output tiles; each output element
/// is summed in the same order whatever the split, so results are bitwise the same for any thread count.
/// </remarks>
public static unsafe class Gemm
{
    private static readonly GemmKernelKind s_kernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmKernelKind.Avx2
        : GemmKernelKind.Portable;

    private enum GemmKernelKind
    {
        Avx512,
        Avx2,
        Portable,
    }

    /// <summary>The micro-kernel in use, for diagnostics.</summary>
    public static string KernelName => s_kernel switch
    {
        GemmKernelKind.Avx512 => GemmKernelAvx512.Name,
        GemmKernelKind.Avx2 => GemmKernelAvx2.Name,
        _ => GemmKernelPortable.Name,
    };

    /// <summary>C[m, n] = α·op(A)·op(B) + β·C, then the epilogue.</summary>
    /// <param name="form">Which operands are transposed; see <see cref="GemmForm"/> for the stored shapes.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The summed dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major: [m, k] for AB and ABt, [k, m] for AtB.</param>
    /// <param name="lda">Distance between A's rows.</param>
    /// <param name="b">B, row-major: [k, n] for AB and AtB, [n, k] for ABt.</param>
    /// <param name="ldb">Distance between B's rows.</param>
    /// <param name="beta">Scale of C's previous contents; when 0, C's contents are ignored (NaN included).</param>
    /// <param name="c">C, row-major [m, n].</param>
    /// <param name="ldc">Distance between C's rows.</param>
    /// <param name="epilogue">Bias and activation applied to the result.</param>
    public static void Multiply(
        GemmForm form, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue = default) =>
        Multiply(form, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, Parallelism.MaxThreads);

    /// <summary>
    /// As <see cref="Multiply(GemmForm, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, GemmEpilogue)"/>
    /// on the calling thread alone: for callers that already run one GEMM per core on blocks of rows, where a
    /// nested split would only make the threads contend. The result is bitwise the same.
    /// </summary>
    internal static void MultiplyOnCallingThread(
        GemmForm form, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue = default) =>
        Multiply(form, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, 1);

    private static void Multiply(
        GemmForm form, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        (int aRows, int aCols) = form == GemmForm.AtB ? (k, m) : (m, k);
        (int bRows, int bCols) = form == GemmForm.ABt ? (n, k) : (k, n);
        CheckOperand(a, aRows, aCols, lda, nameof(a));
        CheckOperand(b, bRows, bCols, ldb, nameof(b));
        CheckOperand(c, m, n, ldc, nameof(c));
        if (!epilogue.Bias.IsEmpty && epilogue.Bias.Length != n)
        {
            throw new ArgumentException($"The bias has {epilogue.Bias.Length} elements; the output has {n} columns.", nameof(epilogue));
        }

        if (!Enum.IsDefined(epilogue.Activation))
        {
            throw new ArgumentOutOfRangeException(nameof(epilogue), epilogue.Activation, "Unknown activation.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            ScaleOnly(n, m, beta, c, ldc, epilogue);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = epilogue.Bias)
        {
            int kcMax = s_kernel switch
            {
                GemmKernelKind.Avx512 => GemmKernelAvx512.KcMax,
                GemmKernelKind.Avx2 => GemmKernelAvx2.KcMax,
                _ => GemmKernelPortable.KcMax,
            };
            var problem = new GemmProblem(form, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, pbias, epilogue.Activation, epilogue.LeakySlope, kcMax);
            switch (s_kernel)
            {
                case GemmKernelKind.Avx512:
                    GemmParallel<GemmKernelAvx512>.Run(problem, maxThreads);
                    break;
                case GemmKernelKind.Avx2:
                    GemmParallel<GemmKernelAvx2>.Run(problem, maxThreads);
                    break;
                default:
                    GemmParallel<GemmKernelPortable>.Run(problem, maxThreads);
                    break;
            }
        }
    }

    /// <summary>C = α·op(A)·op(B) + β·C on matrices (tensors seen as rows × columns).</summary>
    public static void Multiply(GemmForm form, Tensor a, Tensor b, Tensor c, float alpha = 1f, float beta = 0f, GemmEpilogue epilogue = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        (int m, int k) = form == GemmForm.AtB ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        (int bk, int n) = form == GemmForm.ABt ? (b.Columns, b.Rows) : (b.Rows, b.Columns);
        if (bk != k || c.Rows != m || c.Columns != n)
        {
            throw new ArgumentException($"GEMM {form}: shapes {a} and {b} do not give {c}.", nameof(c));
        }

        Multiply(form, m, n, k, alpha, a.Span, a.Columns, b.Span, b.Columns, beta, c.Span, n, epilogue);
    }

    /// <summary>An empty product (k = 0): C = β·C, then the epilogue.</summary>
    private static void ScaleOnly(int n, int m, float beta, Span<float> c, int ldc, GemmEpilogue epilogue)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                TensorPrimitives.Multiply(row, beta, row);
            }

            if (!epilogue.Bias.IsEmpty)
            {
                TensorPrimitives.Add(row, epilogue.Bias, row);
            }

            ActivationKernels.Apply(epilogue.Activation, row, epilogue.LeakySlope);
        }
    }

    private static void CheckOperand(ReadOnlySpan<float> data, int rows, int columns, int leading, string name)
    {
        if (leading < Math.Max(columns, 1))
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension {leading} is less than the {columns} columns of {name}.");
        }

        long needed = rows == 0 ? 0 : ((long)(rows - 1) * leading) + columns;
        if (data.Length < needed)
        {
            throw new ArgumentException($"{name} holds {data.Length} elements; a [{rows}, {columns}] matrix with leading dimension {leading} needs {needed}.", name);
        }
    }
}
