using Latent.Tensors;

namespace Latent.Tests.Tensors;

/// <summary>The fast SGEMM against the naive double-precision oracle, on every path the blocking takes.</summary>
[Trait("Category", "Kernels")]
public class GemmTests
{
    /// <summary>Stands in the gaps between rows (leading dimension beyond the width): never read, never written.</summary>
    private const float Gap = 12345f;

    private static readonly GemmForm[] s_forms = [GemmForm.AB, GemmForm.ABt, GemmForm.AtB];

    public static TheoryData<GemmForm> AllForms => new(s_forms);

    [Theory]
    [MemberData(nameof(AllForms))]
    public void EverySmallSizeMatchesTheReference(GemmForm form)
    {
        // Every size 1..70 in each dimension in turn, so that every edge-tile width of every kernel is hit.
        var rng = new Rng(1);
        for (int s = 1; s <= 70; s++)
        {
            Check(rng, form, s, 37, 29);
            Check(rng, form, 23, s, 41);
            Check(rng, form, 19, 35, s);
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void LargeAndOddShapesMatchTheReference(GemmForm form)
    {
        var rng = new Rng(2);
        Check(rng, form, 129, 127, 784);
        Check(rng, form, 128, 1000, 9);
        Check(rng, form, 1000, 13, 128);
        Check(rng, form, 37, 129, 1000);
        Check(rng, form, 5, 600, 129);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void AlphaAndBetaCombineWithTheOldContents(GemmForm form)
    {
        // k = 801 takes two or more k blocks on every kernel: β must be applied once, by the first.
        var rng = new Rng(3);
        foreach (float alpha in new[] { 1f, -0.5f, 2f, 0f })
        {
            foreach (float beta in new[] { 0f, 1f, 0.25f, -1.5f })
            {
                Check(rng, form, 29, 45, 801, alpha, beta);
                Check(rng, form, 13, 70, 5, alpha, beta);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void LeadingDimensionsWiderThanTheMatrixAreRespected(GemmForm form)
    {
        var rng = new Rng(4);
        Check(rng, form, 31, 67, 45, 1.5f, 0.5f, padA: 3, padB: 17, padC: 5);
        Check(rng, form, 130, 40, 450, 1f, 0f, padA: 1, padB: 1, padC: 33);
        Check(rng, form, 7, 5, 3, -1f, 2f, padA: 64, padB: 9, padC: 1);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void EveryEpilogueIsAppliedOnceAfterTheWholeSum(GemmForm form)
    {
        var rng = new Rng(5);
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            foreach (bool bias in new[] { false, true })
            {
                // One k block, and several (where an epilogue applied too early would show).
                Check(rng, form, 26, 67, 40, 1f, 0f, bias: bias, activation: activation);
                Check(rng, form, 37, 50, 900, 0.5f, 1f, bias: bias, activation: activation, slope: 0.2f);

                // Whole row slivers ending in a half-width column block, stored straight from the registers
                // (n = 48, 40, 44: half blocks of the 32-, 16- and 8-wide kernels).
                foreach (int n in new[] { 48, 40, 44 })
                {
                    Check(rng, form, 24, n, 30, -1f, 0.5f, bias: bias, activation: activation, slope: 0.3f);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void AnEmptySumLeavesBetaTimesCThenTheEpilogue(GemmForm form)
    {
        var rng = new Rng(6);
        Check(rng, form, 9, 21, 0, 1f, 0f);
        Check(rng, form, 9, 21, 0, 2f, 0.5f, bias: true, activation: Activation.LeakyRelu);
        Check(rng, form, 40, 3, 0, 1f, 1f, bias: true, activation: Activation.Sigmoid, padC: 2);
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void ResultsAreBitwiseTheSameOnOneAndTwoThreads(GemmForm form)
    {
        // The VAE layer's shapes: large enough to be split over two threads.
        (int m, int n, int k) = form switch
        {
            GemmForm.ABt => (128, 400, 784),
            GemmForm.AB => (128, 784, 400),
            _ => (400, 784, 128),
        };
        var rng = new Rng(7);
        float[] a = Normal(rng, m * k), b = Normal(rng, k * n), bias = Normal(rng, n), c0 = Normal(rng, m * n);
        int lda = form == GemmForm.AtB ? m : k, ldb = form == GemmForm.ABt ? k : n;
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        using (Parallelism.Limit(1))
        {
            Gemm.Multiply(form, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, one, n, new GemmEpilogue(bias, Activation.LeakyRelu));
        }

        using (Parallelism.Limit(2))
        {
            Gemm.Multiply(form, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, two, n, new GemmEpilogue(bias, Activation.LeakyRelu));
        }

        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(one[i]), BitConverter.SingleToInt32Bits(two[i]));
        }

        // The same numbers must also be right, not merely repeatable.
        float[] expected = (float[])c0.Clone();
        GemmReference.Multiply(form, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, expected, n, new GemmEpilogue(bias, Activation.LeakyRelu));
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(MathF.Abs(one[i] - expected[i]) <= 1e-3f * (1f + MathF.Abs(expected[i])), $"element {i}: {one[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var rng = new Rng(8);
        int m = 64, n = 100, k = 500;
        float[] a = Normal(rng, m * k), b = Normal(rng, n * k), bias = Normal(rng, n), c = new float[m * n];
        using (Parallelism.Limit(1))
        {
            void EveryForm()
            {
                foreach (GemmForm form in s_forms)
                {
                    Gemm.Multiply(form, m, n, k, 1f, a, form == GemmForm.AtB ? m : k, b, form == GemmForm.ABt ? k : n, 0.5f, c, n, new GemmEpilogue(bias, Activation.Relu));
                    Gemm.Multiply(form, m, n, k, 1f, a, form == GemmForm.AtB ? m : k, b, form == GemmForm.ABt ? k : n, 0f, c, n, new GemmEpilogue(bias, Activation.Tanh));
                }
            }

            // Warm every form and epilogue first: the steady state is what is measured (a first call may JIT or
            // fill a lazily made buffer, which CI once saw as 8 KB on the portable path).
            EveryForm();
            long before = GC.GetAllocatedBytesForCurrentThread();
            EveryForm();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void TheTensorOverloadMultipliesMatrices()
    {
        var rng = new Rng(9);
        var x = Tensor.Zeros(5, 7);
        var w = Tensor.Zeros(3, 7);
        var y = Tensor.Zeros(5, 3);
        rng.FillNormal(x.Span);
        rng.FillNormal(w.Span);
        Gemm.Multiply(GemmForm.ABt, x, w, y);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double sum = 0;
                for (int p = 0; p < 7; p++)
                {
                    sum += (double)x.Span[(i * 7) + p] * w.Span[(j * 7) + p];
                }

                Assert.Equal(sum, y.Span[(i * 3) + j], 1e-4);
            }
        }
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheirNames()
    {
        float[] a = new float[12], b = new float[12], c = new float[9];
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmForm.AB, -1, 3, 4, 1f, a, 4, b, 3, 0f, c, 3)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmForm.AB, 3, 3, -4, 1f, a, 4, b, 3, 0f, c, 3)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmForm.AB, 3, 3, 4, 1f, a, 3, b, 3, 0f, c, 3)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(GemmForm.AB, 3, 3, 4, 1f, a, 4, b.AsSpan(0, 11), 3, 0f, c, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmForm.ABt, 3, 3, 4, 1f, a, 4, b, 4, 0f, c, 2)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Gemm.Multiply(GemmForm.AtB, 4, 3, 4, 1f, a, 4, b, 3, 0f, c, 3)).ParamName);
        Assert.Equal("epilogue", Assert.Throws<ArgumentException>(() => Gemm.Multiply(GemmForm.AB, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 3, new GemmEpilogue(new float[2]))).ParamName);
        Assert.Equal("epilogue", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(GemmForm.AB, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 3, new GemmEpilogue((Activation)99))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(GemmForm.AB, Tensor.Zeros(3, 4), Tensor.Zeros(4, 3), Tensor.Zeros(3, 4))).ParamName);
        Assert.Throws<ArgumentNullException>(() => Gemm.Multiply(GemmForm.AB, null!, Tensor.Zeros(4, 3), Tensor.Zeros(3, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Limit(0));
    }

    [Fact]
    public void TheKernelNameSaysWhichInstructionSetIsUsed()
    {
        string expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "avx512"
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "avx2"
            : "portable";
        Assert.StartsWith(expected, Gemm.KernelName, StringComparison.Ordinal);
    }

    /// <summary>Runs one product and compares every element with the oracle, within the float rounding bound.</summary>
    private static void Check(
        Rng rng, GemmForm form, int m, int n, int k, float alpha = 1f, float beta = 0f,
        int padA = 0, int padB = 0, int padC = 0, bool bias = false, Activation activation = Activation.Identity, float slope = 0.01f)
    {
        (int aRows, int aCols) = form == GemmForm.AtB ? (k, m) : (m, k);
        (int bRows, int bCols) = form == GemmForm.ABt ? (n, k) : (k, n);
        int lda = Math.Max(aCols + padA, 1), ldb = Math.Max(bCols + padB, 1), ldc = n + padC;
        float[] a = Padded(rng, aRows, aCols, lda), b = Padded(rng, bRows, bCols, ldb), c = Padded(rng, m, n, ldc);
        if (beta == 0f)
        {
            // β = 0 must ignore C entirely, even NaN.
            for (int i = 0; i < m; i++)
            {
                c.AsSpan(i * ldc, n).Fill(float.NaN);
            }
        }

        float[] biasRow = bias ? Normal(rng, n) : [];
        float[] before = (float[])c.Clone();
        float[] expected = (float[])c.Clone();
        GemmReference.Multiply(form, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc, new GemmEpilogue(biasRow, activation, slope));
        float[] magnitude = new float[m * n];
        GemmReference.Multiply(form, m, n, k, 1f, Abs(a), lda, Abs(b), ldb, 0f, magnitude, n, default);

        Gemm.Multiply(form, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, new GemmEpilogue(biasRow, activation, slope));

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double old = beta == 0f ? 0 : before[(i * ldc) + j];
                double scale = (Math.Abs(alpha) * magnitude[(i * n) + j]) + (bias ? Math.Abs(biasRow[j]) : 0) + Math.Abs(beta * old);
                double tolerance = (1.2e-7 * (k + 4) * (scale + 1e-30)) + (1e-6 * Math.Abs(expected[(i * ldc) + j]));
                float actual = c[(i * ldc) + j], want = expected[(i * ldc) + j];
                Assert.True(
                    Math.Abs(actual - (double)want) <= tolerance,
                    $"{form} {m}×{n}×{k} α={alpha} β={beta} {activation} bias={bias}: C[{i},{j}] = {actual}, expected {want} (±{tolerance:G3}); old {old}");
            }

            for (int j = n; j < ldc && (i * ldc) + j < c.Length; j++)
            {
                Assert.Equal(Gap, c[(i * ldc) + j]);
            }
        }
    }

    /// <summary>A [rows, columns] matrix of normal values with leading dimension ld, the gaps filled with <see cref="Gap"/>.</summary>
    private static float[] Padded(Rng rng, int rows, int columns, int ld)
    {
        float[] data = new float[rows * ld];
        data.AsSpan().Fill(Gap);
        for (int i = 0; i < rows; i++)
        {
            rng.FillNormal(data.AsSpan(i * ld, columns));
        }

        return data;
    }

    private static float[] Normal(Rng rng, int length)
    {
        float[] data = new float[length];
        rng.FillNormal(data);
        return data;
    }

    private static float[] Abs(float[] data)
    {
        float[] result = new float[data.Length];
        System.Numerics.Tensors.TensorPrimitives.Abs(data, result);
        return result;
    }
}
