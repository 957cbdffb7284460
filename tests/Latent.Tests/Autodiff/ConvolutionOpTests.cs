using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class ConvolutionOpTests
{
    /// <summary>Direct convolution in double: y[n, o, i, j] = b[o] + Σ W[o, c, u, v]·x[n, c, i·s − p + u, j·s − p + v].</summary>
    private static double[] NaiveConv(Tensor x, Tensor w, Tensor? b, ConvSettings s, out int[] shape)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0), kh = w.Dim(2), kw = w.Dim(3);
        int ho = ((h + (2 * s.PaddingHeight) - kh) / s.StrideHeight) + 1, wo = ((wd + (2 * s.PaddingWidth) - kw) / s.StrideWidth) + 1;
        shape = [n, o, ho, wo];
        var y = new double[n * o * ho * wo];
        for (int a = 0; a < n; a++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int i = 0; i < ho; i++)
                {
                    for (int j = 0; j < wo; j++)
                    {
                        double sum = b is null ? 0 : b[oc];
                        for (int ic = 0; ic < c; ic++)
                        {
                            for (int u = 0; u < kh; u++)
                            {
                                for (int v = 0; v < kw; v++)
                                {
                                    int iy = (i * s.StrideHeight) - s.PaddingHeight + u, ix = (j * s.StrideWidth) - s.PaddingWidth + v;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                                    {
                                        sum += (double)w[(((((oc * c) + ic) * kh) + u) * kw) + v] * x[(((((a * c) + ic) * h) + iy) * wd) + ix];
                                    }
                                }
                            }
                        }

                        y[(((((a * o) + oc) * ho) + i) * wo) + j] = sum;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Direct transposed convolution in double: y[n, o, i·s − p + u, j·s − p + v] += W[c, o, u, v]·x[n, c, i, j], then + b[o].</summary>
    private static double[] NaiveConvTranspose(Tensor x, Tensor w, Tensor? b, ConvSettings s, int outputPadding, out int[] shape)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3);
        int ho = ((h - 1) * s.StrideHeight) - (2 * s.PaddingHeight) + kh + outputPadding;
        int wo = ((wd - 1) * s.StrideWidth) - (2 * s.PaddingWidth) + kw + outputPadding;
        shape = [n, o, ho, wo];
        var y = new double[n * o * ho * wo];
        for (int a = 0; a < n; a++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int p = 0; p < ho * wo; p++)
                {
                    y[(((a * o) + oc) * ho * wo) + p] = b is null ? 0 : b[oc];
                }

                for (int ic = 0; ic < c; ic++)
                {
                    for (int i = 0; i < h; i++)
                    {
                        for (int j = 0; j < wd; j++)
                        {
                            for (int u = 0; u < kh; u++)
                            {
                                for (int v = 0; v < kw; v++)
                                {
                                    int oy = (i * s.StrideHeight) - s.PaddingHeight + u, ox = (j * s.StrideWidth) - s.PaddingWidth + v;
                                    if (oy >= 0 && oy < ho && ox >= 0 && ox < wo)
                                    {
                                        y[(((((a * o) + oc) * ho) + oy) * wo) + ox] +=
                                            (double)w[(((((ic * o) + oc) * kh) + u) * kw) + v] * x[(((((a * c) + ic) * h) + i) * wd) + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    [Fact]
    public void Conv2dMatchesADirectConvolutionOverKernelsStridesAndPaddings()
    {
        var rng = new Rng(11);
        int checkedCases = 0;
        foreach ((int h, int w) in new[] { (7, 9), (5, 5), (11, 6) })
        {
            var x = GradCheck.Random(rng, -1, 1, 2, 3, h, w);
            for (int kernel = 1; kernel <= 5; kernel++)
            {
                for (int stride = 1; stride <= 3; stride++)
                {
                    for (int padding = 0; padding <= 2; padding++)
                    {
                        if (Math.Min(h, w) + (2 * padding) < kernel)
                        {
                            continue;
                        }

                        var settings = ConvSettings.Square(kernel, stride, padding);
                        var weight = GradCheck.Random(rng, -1, 1, 5, 3, kernel, kernel);
                        var bias = padding == 1 ? null : GradCheck.Random(rng, -1, 1, 5);
                        using var tape = new Tape();
                        var y = Ops.Conv2d(tape.Input(x), tape.Input(weight), bias is null ? null : tape.Input(bias), settings);
                        double[] expected = NaiveConv(x, weight, bias, settings, out int[] shape);
                        Expect.Shape(y.Value, shape);
                        Expect.Close(expected, y.Value.Span, 1e-5);
                        checkedCases++;
                    }
                }
            }
        }

        Assert.True(checkedCases > 100);
    }

    [Fact]
    public void Conv2dTakesRectangularWindows()
    {
        var rng = new Rng(12);
        var x = GradCheck.Random(rng, -1, 1, 3, 2, 8, 7);
        var weight = GradCheck.Random(rng, -1, 1, 4, 2, 3, 2);
        var bias = GradCheck.Random(rng, -1, 1, 4);
        var settings = new ConvSettings(3, 2, 2, 1, 1, 0);
        using var tape = new Tape();
        var y = Ops.Conv2d(tape.Input(x), tape.Input(weight), tape.Input(bias), settings);
        double[] expected = NaiveConv(x, weight, bias, settings, out int[] shape);
        Expect.Shape(y.Value, shape);
        Expect.Close(expected, y.Value.Span, 1e-5);
    }

    [Fact]
    public void ConvTranspose2dMatchesADirectLoopOverKernelsStridesPaddingsAndOutputPaddings()
    {
        var rng = new Rng(13);
        int checkedCases = 0;
        foreach ((int h, int w) in new[] { (5, 7), (3, 3), (6, 4) })
        {
            var x = GradCheck.Random(rng, -1, 1, 2, 3, h, w);
            for (int kernel = 1; kernel <= 5; kernel++)
            {
                for (int stride = 1; stride <= 3; stride++)
                {
                    for (int padding = 0; padding <= 2; padding++)
                    {
                        for (int outputPadding = 0; outputPadding < Math.Min(2, stride); outputPadding++)
                        {
                            if ((Math.Min(h, w) - 1) * stride - (2 * padding) + kernel + outputPadding < 1)
                            {
                                continue;
                            }

                            var settings = ConvSettings.Square(kernel, stride, padding);
                            var weight = GradCheck.Random(rng, -1, 1, 3, 4, kernel, kernel);
                            var bias = padding == 1 ? null : GradCheck.Random(rng, -1, 1, 4);
                            using var tape = new Tape();
                            var y = Ops.ConvTranspose2d(tape.Input(x), tape.Input(weight), bias is null ? null : tape.Input(bias), settings, outputPadding);
                            double[] expected = NaiveConvTranspose(x, weight, bias, settings, outputPadding, out int[] shape);
                            Expect.Shape(y.Value, shape);
                            Expect.Close(expected, y.Value.Span, 1e-5);
                            checkedCases++;
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 100);
    }

    [Fact]
    public void ConvTranspose2dIsTheAdjointOfConv2d()
    {
        // ⟨conv(x, W), y⟩ = ⟨x, convᵀ(y, W)⟩ for the same weight seen in both layouts ([out, in] = [in, out] of the adjoint).
        var rng = new Rng(14);
        var settings = ConvSettings.Square(4, 2, 1);
        var x = GradCheck.Random(rng, -1, 1, 2, 3, 10, 10);
        var weight = GradCheck.Random(rng, -1, 1, 5, 3, 4, 4);
        using var tape = new Tape();
        var conv = Ops.Conv2d(tape.Input(x), tape.Input(weight), null, settings);
        var y = GradCheck.Random(rng, -1, 1, conv.Value.Shape);
        var back = Ops.ConvTranspose2d(tape.Input(y), tape.Input(weight), null, settings);
        Expect.Shape(back.Value, 2, 3, 10, 10);
        double left = 0, right = 0;
        for (int i = 0; i < y.Length; i++)
        {
            left += (double)conv.Value[i] * y[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            right += (double)back.Value[i] * x[i];
        }

        Assert.Equal(left, right, 1e-3);
    }

    [Theory]
    [InlineData(Activation.Identity, 3, 1, 1, true)]
    [InlineData(Activation.Tanh, 3, 2, 1, true)]
    [InlineData(Activation.Sigmoid, 2, 2, 0, false)]
    [InlineData(Activation.Identity, 4, 3, 2, true)]
    [InlineData(Activation.LeakyRelu, 4, 3, 2, true)]
    [InlineData(Activation.Relu, 3, 1, 0, true)]
    public void Conv2dGradientsMatchFiniteDifferences(Activation activation, int kernel, int stride, int padding, bool withBias)
    {
        var settings = ConvSettings.Square(kernel, stride, padding);
        Tensor[] Draw(Rng rng) => withBias
            ? [GradCheck.Random(rng, -1, 1, 2, 2, 7, 6), GradCheck.Random(rng, -0.5f, 0.5f, 3, 2, kernel, kernel), GradCheck.Random(rng, -0.5f, 0.5f, 3)]
            : [GradCheck.Random(rng, -1, 1, 2, 2, 7, 6), GradCheck.Random(rng, -0.5f, 0.5f, 3, 2, kernel, kernel)];
        Var Op(Var[] v, Activation f) => Ops.Conv2d(v[0], v[1], withBias ? v[2] : null, settings, f, 0.1f);
        CheckGradients(Draw, Op, activation, 21);
    }

    [Theory]
    [InlineData(Activation.Identity, 3, 1, 1, 0, true)]
    [InlineData(Activation.Tanh, 4, 2, 1, 0, true)]
    [InlineData(Activation.Sigmoid, 3, 2, 0, 1, false)]
    [InlineData(Activation.Identity, 5, 3, 2, 1, true)]
    [InlineData(Activation.LeakyRelu, 5, 3, 2, 1, true)]
    [InlineData(Activation.Relu, 2, 1, 0, 0, true)]
    public void ConvTranspose2dGradientsMatchFiniteDifferences(Activation activation, int kernel, int stride, int padding, int outputPadding, bool withBias)
    {
        var settings = ConvSettings.Square(kernel, stride, padding);
        // One image for the relus, so that inputs with no pre-activation near the kink are not too rare.
        int images = activation is Activation.Relu or Activation.LeakyRelu ? 1 : 2;
        Tensor[] Draw(Rng rng) => withBias
            ? [GradCheck.Random(rng, -1, 1, images, 2, 4, 5), GradCheck.Random(rng, -0.5f, 0.5f, 2, 3, kernel, kernel), GradCheck.Random(rng, -0.5f, 0.5f, 3)]
            : [GradCheck.Random(rng, -1, 1, images, 2, 4, 5), GradCheck.Random(rng, -0.5f, 0.5f, 2, 3, kernel, kernel)];
        Var Op(Var[] v, Activation f) => Ops.ConvTranspose2d(v[0], v[1], withBias ? v[2] : null, settings, outputPadding, f, 0.1f);
        CheckGradients(Draw, Op, activation, 22);
    }

    /// <summary>
    /// Finite-difference check; for the relus, inputs are redrawn until every pre-activation is at least 0.01 from
    /// the kink, and the step is 10⁻³ (moving a pre-activation by at most 0.001), so no difference crosses it.
    /// </summary>
    private static void CheckGradients(Func<Rng, Tensor[]> draw, Func<Var[], Activation, Var> op, Activation activation, ulong seed)
    {
        var rng = new Rng(seed);
        var inputs = draw(rng);
        bool kinked = activation is Activation.Relu or Activation.LeakyRelu;
        for (int attempt = 0; kinked; attempt++)
        {
            Assert.True(attempt < 10_000, "No inputs away from the kink.");
            using var tape = new Tape();
            var z = op([.. inputs.Select(t => tape.Input(t))], Activation.Identity).Value.ToArray();
            if (z.All(v => MathF.Abs(v) >= 0.01f))
            {
                break;
            }

            inputs = draw(rng);
        }

        GradCheck.Check(v => op(v, activation), inputs, epsilon: kinked ? 1e-3f : 1e-2f);
    }

    [Fact]
    public void GradientsAddWhenAnInputFeedsTwoConvolutions()
    {
        // ∂x from the convolution is added to ∂x from the other use (β = 1 paths of col2im and the transpose).
        var settings = ConvSettings.Square(3, 2, 1);
        var rng = new Rng(23);
        GradCheck.Check(
            v => Ops.Add(
                Ops.Conv2d(v[0], v[1], null, settings),
                Ops.Conv2d(v[0], v[1], null, settings)),
            [GradCheck.Random(rng, -1, 1, 2, 2, 5, 5), GradCheck.Random(rng, -0.5f, 0.5f, 3, 2, 3, 3)]);
        GradCheck.Check(
            v => Ops.Add(
                Ops.ConvTranspose2d(v[0], v[1], null, settings, 1),
                Ops.ConvTranspose2d(v[0], v[1], null, settings, 1)),
            [GradCheck.Random(rng, -1, 1, 2, 2, 3, 3), GradCheck.Random(rng, -0.5f, 0.5f, 2, 3, 3, 3)]);
    }

    [Fact]
    public void ResultsAreBitwiseTheSameOnOneAndTwoThreads()
    {
        (float[][] one, float[][] two) = (RunVaeLayers(1), RunVaeLayers(2));
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
            Assert.Contains(one[i], v => v != 0f);
        }
    }

    [Fact]
    public void TrainingStepsAllocateNothingAfterWarmUp()
    {
        using (Parallelism.Limit(1))
        {
            var rng = new Rng(31);
            var w1 = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 4, 1, 4, 4));
            var b1 = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 4));
            var w2 = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 4, 1, 4, 4));
            var b2 = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 1));
            var images = GradCheck.Random(rng, 0, 1, 8, 1, 12, 12);
            var settings = ConvSettings.Square(4, 2, 1);
            var tape = new Tape();

            void Step()
            {
                var x = tape.Input(images);
                var h = Ops.Conv2d(x, w1, b1, settings, Activation.Relu);
                var y = Ops.ConvTranspose2d(h, w2, b2, settings, 0, Activation.Sigmoid);
                var loss = Ops.MeanSquaredError(y, x);
                tape.Backward(loss);
                w1.ZeroGrad();
                b1.ZeroGrad();
                w2.ZeroGrad();
                b2.ZeroGrad();
                tape.Reset();
            }

            Step();
            Step();
            int created = tape.Pool.Created;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 5; step++)
            {
                Step();
            }

            Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(created, tape.Pool.Created);
        }
    }

    [Fact]
    public void ShapeErrorsNameBothShapes()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(128, 3, 28, 28));
        var error = Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, tape.Input(Tensor.Zeros(32, 1, 4, 4)), null, ConvSettings.Square(4, 2, 1)));
        Assert.Contains("Conv2d: input [128, 3, 28, 28] has 3 channels; the weight [32, 1, 4, 4] takes 1", error.Message);

        error = Assert.Throws<ArgumentException>(() => Ops.ConvTranspose2d(x, tape.Input(Tensor.Zeros(1, 32, 4, 4)), null, ConvSettings.Square(4, 2, 1)));
        Assert.Contains("ConvTranspose2d: input [128, 3, 28, 28] has 3 channels; the weight [1, 32, 4, 4] takes 1", error.Message);

        error = Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, tape.Input(Tensor.Zeros(32, 3, 4, 4)), null, ConvSettings.Square(3)));
        Assert.Contains("4×4 kernels", error.Message);

        error = Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, tape.Input(Tensor.Zeros(32, 3, 4, 4)), tape.Input(Tensor.Zeros(31)), ConvSettings.Square(4)));
        Assert.Contains("bias [31]", error.Message);

        error = Assert.Throws<ArgumentException>(() => Ops.Conv2d(tape.Input(Tensor.Zeros(2, 3, 2, 2)), tape.Input(Tensor.Zeros(4, 3, 5, 5)), null, ConvSettings.Square(5)));
        Assert.Contains("[2, 3, 2, 2]", error.Message);

        error = Assert.Throws<ArgumentException>(() => Ops.Conv2d(tape.Input(Tensor.Zeros(3, 28, 28)), tape.Input(Tensor.Zeros(4, 3, 5, 5)), null, ConvSettings.Square(5)));
        Assert.Contains("[3, 28, 28]", error.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.ConvTranspose2d(x, tape.Input(Tensor.Zeros(3, 2, 4, 4)), null, ConvSettings.Square(4, 2, 1), outputPadding: 2));
        error = Assert.Throws<ArgumentException>(() => Ops.ConvTranspose2d(x, tape.Input(Tensor.Zeros(3, 2, 4, 4)), null, default));
        Assert.Contains("empty", error.Message);
    }

    /// <summary>The conv VAE's four conv layers at a small batch: every output and gradient, flattened.</summary>
    private static float[][] RunVaeLayers(int threads)
    {
        using (Parallelism.Limit(threads))
        {
            var rng = new Rng(41);
            var settings = ConvSettings.Square(4, 2, 1);
            var w1 = Var.Parameter(GradCheck.Random(rng, -0.25f, 0.25f, 32, 1, 4, 4));
            var b1 = Var.Parameter(GradCheck.Random(rng, -0.25f, 0.25f, 32));
            var w2 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 64, 32, 4, 4));
            var b2 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 64));
            var w3 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 64, 32, 4, 4));
            var b3 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 32));
            var w4 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 32, 1, 4, 4));
            var b4 = Var.Parameter(GradCheck.Random(rng, -0.05f, 0.05f, 1));
            using var tape = new Tape();
            var x = tape.Input(GradCheck.Random(rng, 0, 1, 24, 1, 28, 28));
            var h1 = Ops.Conv2d(x, w1, b1, settings, Activation.Relu);
            var h2 = Ops.Conv2d(h1, w2, b2, settings, Activation.Relu);
            var h3 = Ops.ConvTranspose2d(h2, w3, b3, settings, 0, Activation.Relu);
            var y = Ops.ConvTranspose2d(h3, w4, b4, settings, 0, Activation.Sigmoid);
            tape.Backward(Ops.MeanSquaredError(y, x));
            return [y.Value.ToArray(), h2.Value.ToArray(), .. new[] { w1, b1, w2, b2, w3, b3, w4, b4 }.Select(p => p.Grad!.ToArray())];
        }
    }
}
