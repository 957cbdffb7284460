using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Autodiff;

public class PoolingAndNormTests
{
    public static TheoryData<int, int, int, int, ConvSettings> PoolingCases => new()
    {
        { 2, 3, 7, 5, ConvSettings.Square(2, 2) },
        { 1, 2, 7, 5, ConvSettings.Square(3, 2) },
        { 3, 1, 5, 6, ConvSettings.Square(2, 1) },
        { 2, 2, 7, 7, ConvSettings.Square(3, 2, 1) },
        { 1, 3, 9, 4, new ConvSettings(3, 2, 2, 1, 1, 0) },
        { 2, 1, 1, 1, ConvSettings.Square(1, 1) },
        { 1, 2, 5, 5, ConvSettings.Square(5, 3) },
    };

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void MaxPoolMatchesNaiveLoops(int n, int c, int h, int w, ConvSettings window)
    {
        var rng = new Rng(11);
        var images = GradCheck.Random(rng, -2, 2, n, c, h, w);

        // Ties: repeat some values so the first of the window must win.
        for (int i = 0; i < images.Length; i += 3)
        {
            images[i] = MathF.Round(images[i]);
        }

        var tape = new Tape();
        var x = tape.Input(images, requiresGrad: true);
        var y = Ops.MaxPool2d(x, window);
        var gy = GradCheck.Random(rng, -1, 1, y.Value.Shape);
        (float[] expected, int[] argmax, int outH, int outW) = NaiveMaxPool(images, window);
        Expect.Shape(y.Value, n, c, outH, outW);
        Assert.Equal(expected, y.Value.ToArray());

        tape.Backward(Ops.Sum(Ops.Multiply(y, tape.Input(gy))));
        var dx = new float[images.Length];
        for (int i = 0; i < argmax.Length; i++)
        {
            dx[argmax[i]] += gy[i];
        }

        Assert.Equal(dx, x.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void MaxPoolGradientMatchesFiniteDifferences(int n, int c, int h, int w, ConvSettings window)
    {
        // Distinct values 0.1 apart, so a step of 0.01 never changes a window's maximum.
        var images = Tensor.Zeros(n, c, h, w);
        var order = Enumerable.Range(0, images.Length).ToArray();
        new Random(5).Shuffle(order);
        for (int i = 0; i < order.Length; i++)
        {
            images[i] = (order[i] - (order.Length / 2)) * 0.1f;
        }

        GradCheck.Check(v => Ops.MaxPool2d(v[0], window), [images]);
    }

    [Fact]
    public void MaxPoolErrorsNameTheShapes()
    {
        var tape = new Tape();
        var error = Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(tape.Input(Tensor.Zeros(2, 3, 1, 1)), ConvSettings.Square(2, 2)));
        Assert.Contains("MaxPool2d: a 2×2 window with stride 2 does not fit a 1×1 image", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(tape.Input(Tensor.Zeros(2, 12)), ConvSettings.Square(2, 2)));
        Assert.Contains("MaxPool2d: the input [2, 12]", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Ops.MaxPool2d(tape.Input(Tensor.Zeros(1, 1, 8, 8)), ConvSettings.Square(2, 2, 2)));
        Assert.Contains("padding at most half the window", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, tape.Count);
    }

    [Theory]
    [InlineData(2, 3, 5, 7, 2)]
    [InlineData(1, 2, 3, 1, 3)]
    [InlineData(3, 1, 1, 1, 4)]
    public void UpsampleMatchesNaiveLoopsAndFiniteDifferences(int n, int c, int h, int w, int factor)
    {
        var rng = new Rng(12);
        var images = GradCheck.Random(rng, -1, 1, n, c, h, w);
        var tape = new Tape();
        var x = tape.Input(images, requiresGrad: true);
        var y = Ops.UpsampleNearest(x, factor);
        Expect.Shape(y.Value, n, c, h * factor, w * factor);
        var gy = GradCheck.Random(rng, -1, 1, y.Value.Shape);
        var expected = new float[y.Value.Length];
        var dx = new double[images.Length];
        int outH = h * factor, outW = w * factor;
        for (int p = 0; p < n * c; p++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    int source = (((p * h) + (oy / factor)) * w) + (ox / factor), target = (((p * outH) + oy) * outW) + ox;
                    expected[target] = images[source];
                    dx[source] += gy[target];
                }
            }
        }

        Assert.Equal(expected, y.Value.ToArray());
        tape.Backward(Ops.Sum(Ops.Multiply(y, tape.Input(gy))));
        Expect.Close(dx, x.Grad!.Span, 1e-6);

        GradCheck.Check(v => Ops.UpsampleNearest(v[0], factor), [images]);
    }

    [Fact]
    public void UpsampleByOneIsTheInput()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(1, 1, 2, 2));
        Assert.Same(x, Ops.UpsampleNearest(x, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.UpsampleNearest(x, 0));
        var error = Assert.Throws<ArgumentException>(() => Ops.UpsampleNearest(tape.Input(Tensor.Zeros(2, 4)), 2));
        Assert.Contains("[2, 4]", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int[]> NormShapes => new()
    {
        new[] { 7, 5 },
        new[] { 2, 1 },
        new[] { 3, 4, 5 },
        new[] { 3, 3, 5, 7 },
        new[] { 1, 2, 3, 3 },
        new[] { 4, 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(NormShapes))]
    public void BatchNormTrainingMatchesNaiveDoubles(int[] shape)
    {
        var rng = new Rng(13);
        var images = GradCheck.Random(rng, -3, 5, shape);
        int channels = shape[1];
        var weight = GradCheck.Random(rng, 0.5f, 2, channels);
        var bias = GradCheck.Random(rng, -1, 1, channels);
        var runningMean = GradCheck.Random(rng, -1, 1, channels);
        var runningVar = GradCheck.Random(rng, 0.5f, 2, channels);
        float[] mean0 = runningMean.ToArray(), var0 = runningVar.ToArray();

        var tape = new Tape();
        var y = Ops.BatchNorm(tape.Input(images), tape.Input(weight), tape.Input(bias), runningMean, runningVar, training: true, momentum: 0.3f, eps: 1e-3f);
        var reference = NaiveBatchNorm(images, weight, bias, null, null, 1e-3);
        Expect.Close(reference.Y, y.Value.Span, 2e-5);
        for (int ch = 0; ch < channels; ch++)
        {
            Assert.Equal((0.7 * mean0[ch]) + (0.3 * reference.Mean[ch]), runningMean[ch], 1e-5);
            double unbiased = reference.Variance[ch] * reference.Count / (reference.Count - 1);
            Assert.Equal((0.7 * var0[ch]) + (0.3 * unbiased), runningVar[ch], 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(NormShapes))]
    public void BatchNormEvaluationUsesTheRunningStatisticsAndLeavesThem(int[] shape)
    {
        var rng = new Rng(14);
        var images = GradCheck.Random(rng, -3, 5, shape);
        int channels = shape[1];
        var weight = GradCheck.Random(rng, 0.5f, 2, channels);
        var bias = GradCheck.Random(rng, -1, 1, channels);
        var runningMean = GradCheck.Random(rng, -1, 1, channels);
        var runningVar = GradCheck.Random(rng, 0.5f, 2, channels);
        float[] mean0 = runningMean.ToArray(), var0 = runningVar.ToArray();

        var tape = new Tape();
        var y = Ops.BatchNorm(tape.Input(images), tape.Input(weight), tape.Input(bias), runningMean, runningVar, training: false, momentum: 0.3f, eps: 1e-3f);
        var reference = NaiveBatchNorm(images, weight, bias, mean0, var0, 1e-3);
        Expect.Close(reference.Y, y.Value.Span, 2e-5);
        Assert.Equal(mean0, runningMean.ToArray());
        Assert.Equal(var0, runningVar.ToArray());
    }

    [Theory]
    [MemberData(nameof(NormShapes))]
    public void BatchNormGradientsMatchFiniteDifferencesInBothModes(int[] shape)
    {
        if (shape[0] * (shape.Length > 2 ? shape[2..].Aggregate(1, (a, b) => a * b) : 1) < 2)
        {
            return;
        }

        var rng = new Rng(15);
        int channels = shape[1];
        var images = GradCheck.Random(rng, -2, 2, shape);
        var weight = GradCheck.Random(rng, 0.5f, 2, channels);
        var bias = GradCheck.Random(rng, -1, 1, channels);
        var runningMean = GradCheck.Random(rng, -1, 1, channels);
        var runningVar = GradCheck.Random(rng, 0.5f, 2, channels);
        foreach (bool training in new[] { true, false })
        {
            GradCheck.Check(
                v => Ops.BatchNorm(v[0], v[1], v[2], runningMean, runningVar, training, 0.1f, 1e-5f),
                [images, weight, bias],
                epsilon: 1e-2f,
                tolerance: 5e-3);
        }
    }

    [Fact]
    public void BatchNormBackwardMatchesTheClosedForm()
    {
        // dx = (γ/σ)·(gy − mean(gy) − x̂·mean(gy·x̂)), dγ = Σ gy·x̂, dβ = Σ gy, against doubles; and again with ∂x
        // already holding a gradient (x used twice), which must be added to.
        var rng = new Rng(16);
        int[] shape = [5, 3, 4, 6];
        var images = GradCheck.Random(rng, 10, 14, shape);
        var weight = GradCheck.Random(rng, 0.5f, 2, 3);
        var bias = GradCheck.Random(rng, -1, 1, 3);
        var gy = GradCheck.Random(rng, -1, 1, shape);
        var reference = NaiveBatchNorm(images, weight, bias, null, null, 1e-5);
        (double[] dx, double[] dw, double[] db) = NaiveBackward(images, weight, gy, reference, training: true);

        var tape = new Tape();
        var x = tape.Input(images, requiresGrad: true);
        var w = Var.Parameter(weight.Clone());
        var b = Var.Parameter(bias.Clone());
        var y = Ops.BatchNorm(x, w, b, Tensor.Zeros(3), Tensor.Zeros(3), true, 0.1f, 1e-5f);
        tape.Backward(Ops.Add(Ops.Sum(Ops.Multiply(y, tape.Input(gy))), Ops.Sum(x)));
        double[] plusOne = dx.Select(v => v + 1).ToArray();
        Expect.Close(plusOne, x.Grad!.Span, 1e-4);
        Expect.Close(dw, w.Grad!.Span, 1e-4);
        Expect.Close(db, b.Grad!.Span, 1e-5);

        // A second backward pass adds to the parameters' gradients.
        tape.Reset();
        x = tape.Input(images, requiresGrad: true);
        y = Ops.BatchNorm(x, w, b, Tensor.Zeros(3), Tensor.Zeros(3), true, 0.1f, 1e-5f);
        tape.Backward(Ops.Sum(Ops.Multiply(y, tape.Input(gy))));
        Expect.Close(dx, x.Grad!.Span, 1e-4);
        Expect.Close(db.Select(v => 2 * v).ToArray(), b.Grad!.Span, 1e-5);
    }

    [Fact]
    public void BatchNormErrorsNameTheShapes()
    {
        var tape = new Tape();
        var three = tape.Input(Tensor.Zeros(3));
        var error = Assert.Throws<ArgumentException>(() => Ops.BatchNorm(tape.Input(Tensor.Zeros(4, 2)), three, three, Tensor.Zeros(3), Tensor.Zeros(3), true, 0.1f, 1e-5f));
        Assert.Contains("the weight has 3 values; the input [4, 2] has 2 channels", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Ops.BatchNorm(tape.Input(Tensor.Zeros(1, 3)), three, three, Tensor.Zeros(3), Tensor.Zeros(3), true, 0.1f, 1e-5f));
        Assert.Contains("more than one value per channel", error.Message, StringComparison.Ordinal);

        // Evaluation takes a single item.
        var single = Ops.BatchNorm(tape.Input(Tensor.FromArray([1f, 2f, 3f], 1, 3)), three, three, Tensor.Zeros(3), Tensor.FromArray([1f, 1f, 1f], 3), false, 0.1f, 0f);
        Assert.Equal([0f, 0f, 0f], single.Value.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.BatchNorm(single, three, three, Tensor.Zeros(3), Tensor.Zeros(3), true, 1.5f, 1e-5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.BatchNorm(single, three, three, Tensor.Zeros(3), Tensor.Zeros(3), true, 0.1f, -1f));
    }

    [Theory]
    [InlineData(16, 64, 8, 8)]
    [InlineData(4096, 48, 1, 1)]
    [InlineData(3, 5, 7, 9)]
    public void BatchNormIsBitwiseTheSameOnOneAndTwoThreads(int n, int c, int h, int w)
    {
        int[] shape = h == 1 && w == 1 ? [n, c] : [n, c, h, w];
        var rng = new Rng(17);
        var images = GradCheck.Random(rng, -2, 3, shape);
        var gy = GradCheck.Random(rng, -1, 1, shape);
        var weight = GradCheck.Random(rng, 0.5f, 2, c);
        var bias = GradCheck.Random(rng, -1, 1, c);

        float[][] Run(int threads)
        {
            using (Parallelism.Limit(threads))
            {
                var runningMean = Tensor.Zeros(c);
                var runningVar = Tensor.Zeros(c);
                var tape = new Tape();
                var x = tape.Input(images, requiresGrad: true);
                var wv = tape.Input(weight, requiresGrad: true);
                var bv = tape.Input(bias, requiresGrad: true);
                var y = Ops.BatchNorm(x, wv, bv, runningMean, runningVar, true, 0.1f, 1e-5f);
                tape.Backward(Ops.Sum(Ops.Multiply(y, tape.Input(gy))));
                var eval = Ops.BatchNorm(tape.Input(images), wv, bv, runningMean, runningVar, false, 0.1f, 1e-5f);
                return [y.Value.ToArray(), x.Grad!.ToArray(), wv.Grad!.ToArray(), bv.Grad!.ToArray(), runningMean.ToArray(), runningVar.ToArray(), eval.Value.ToArray()];
            }
        }

        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }
    }

    [Fact]
    public void PoolingIsBitwiseTheSameOnOneAndTwoThreads()
    {
        // Large enough to be split over two threads; the split must not change a bit, nor the argmax routing.
        var rng = new Rng(22);
        var images = GradCheck.Random(rng, -2, 2, 64, 8, 16, 15);
        var small = GradCheck.Random(rng, -2, 2, 32, 8, 8, 9);

        float[][] Run(int threads)
        {
            using (Parallelism.Limit(threads))
            {
                var tape = new Tape();
                var x = tape.Input(images, requiresGrad: true);
                var pooled = Ops.MaxPool2d(x, ConvSettings.Square(3, 2, 1));
                var s = tape.Input(small, requiresGrad: true);
                var up = Ops.UpsampleNearest(s, 2);
                var gp = GradCheck.Random(new Rng(23), -1, 1, pooled.Value.Shape);
                var gu = GradCheck.Random(new Rng(24), -1, 1, up.Value.Shape);
                tape.Backward(Ops.Add(Ops.Sum(Ops.Multiply(pooled, tape.Input(gp))), Ops.Sum(Ops.Multiply(up, tape.Input(gu)))));
                return [pooled.Value.ToArray(), up.Value.ToArray(), x.Grad!.ToArray(), s.Grad!.ToArray()];
            }
        }

        float[][] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }

        (float[] expected, _, _, _) = NaiveMaxPool(images, ConvSettings.Square(3, 2, 1));
        Assert.Equal(expected, two[0]);
    }

    [Fact]
    public void ChannelProductSumsFollowTheOrderOfChannelSums()
    {
        var rng = new Rng(18);
        for (int plane = 0; plane <= 70; plane++)
        {
            int images = 3, channels = 2;
            var a = GradCheck.Random(rng, -5, 5, Math.Max(1, images * channels * plane)).Span[..(images * channels * plane)];
            var b = GradCheck.Random(rng, -5, 5, Math.Max(1, images * channels * plane)).Span[..(images * channels * plane)];
            double[] sum = new double[channels], squares = new double[channels], sum2 = new double[channels], products = new double[channels];
            ChannelReductions.ChannelSums(a, images, channels, plane, sum, squares);
            BatchNormKernels.ChannelProductSums(a, a, images, channels, plane, sum2, products, 0, channels);
            Assert.Equal(sum, sum2);
            Assert.Equal(squares, products);

            BatchNormKernels.ChannelProductSums(a, b, images, channels, plane, sum2, products, 1, 1);
            double expected = 0;
            for (int n = 0; n < images; n++)
            {
                for (int p = 0; p < plane; p++)
                {
                    int i = (((n * channels) + 1) * plane) + p;
                    expected += (double)a[i] * b[i];
                }
            }

            Assert.Equal(expected, products[1], 1e-9 * (1 + Math.Abs(expected)));
        }
    }

    [Fact]
    public void ColumnProductSumsAreTheRowOrderSums()
    {
        var rng = new Rng(19);
        for (int columns = 1; columns <= 40; columns++)
        {
            int rows = 5;
            var a = GradCheck.Random(rng, -5, 5, rows, columns);
            var b = GradCheck.Random(rng, -5, 5, rows, columns);
            double[] sum = new double[columns], products = new double[columns];
            int start = columns / 3, count = columns - start;
            BatchNormKernels.ColumnProductSums(a.Span, b.Span, rows, columns, sum, products, start, count);
            for (int j = start; j < columns; j++)
            {
                double s = 0, q = 0;
                for (int i = 0; i < rows; i++)
                {
                    s += a[i, j];
                    q += (double)a[i, j] * b[i, j];
                }

                Assert.Equal(s, sum[j]);
                Assert.Equal(q, products[j]);
            }
        }
    }

    [Fact]
    public void ElementKernelsMatchTheirScalarFormulaOnEveryLength()
    {
        var rng = new Rng(20);
        for (int length = 0; length <= 256; length++)
        {
            var x = GradCheck.Random(rng, -3, 3, length + 1).Span[..length];
            var gy = GradCheck.Random(rng, -3, 3, length + 1).Span[..length];
            var start = GradCheck.Random(rng, -3, 3, length + 1).Span[..length];
            float mean = 0.3f, scale = 1.7f, shift = -0.2f, u = -0.45f, v = 0.05f;
            var y = new float[length];
            BatchNormKernels.Normalize(x, mean, scale, shift, y);
            var written = new float[length];
            BatchNormKernels.InputGradient(gy, x, scale, mean, u, v, written, accumulate: false);
            var added = start.ToArray();
            BatchNormKernels.InputGradient(gy, x, scale, mean, u, v, added, accumulate: true);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(((x[i] - mean) * scale) + shift, y[i]);
                float value = (gy[i] * scale) + (((x[i] - mean) * u) + v);
                Assert.Equal(value, written[i]);
                Assert.Equal(start[i] + value, added[i]);
            }
        }
    }

    [Fact]
    public void StepsWithPoolingAndNormAllocateNothingAfterWarmUp()
    {
        using (Parallelism.Limit(1))
        {
            var rng = new Rng(21);
            var images = GradCheck.Random(rng, -1, 1, 4, 3, 6, 6);
            var weight2 = Var.Parameter(GradCheck.Random(rng, 0.5f, 1.5f, 3));
            var bias2 = Var.Parameter(GradCheck.Random(rng, -0.5f, 0.5f, 3));
            var weight1 = Var.Parameter(GradCheck.Random(rng, 0.5f, 1.5f, 27));
            var bias1 = Var.Parameter(GradCheck.Random(rng, -0.5f, 0.5f, 27));
            Tensor mean2 = Tensor.Zeros(3), var2 = Tensor.Zeros(3), mean1 = Tensor.Zeros(27), var1 = Tensor.Zeros(27);
            var tape = new Tape();

            void Step(bool training)
            {
                var x = tape.Input(images, requiresGrad: true);
                var normed = Ops.BatchNorm(x, weight2, bias2, mean2, var2, training, 0.1f, 1e-5f);
                var pooled = Ops.MaxPool2d(normed, ConvSettings.Square(2, 2));
                var up = Ops.UpsampleNearest(pooled, 2);
                var flat = Ops.MaxPool2d(up, ConvSettings.Square(2, 2)).Flatten();
                var out1 = Ops.BatchNorm(flat, weight1, bias1, mean1, var1, training, 0.1f, 1e-5f);
                tape.Backward(out1.Square().Mean());
                weight1.ZeroGrad();
                bias1.ZeroGrad();
                weight2.ZeroGrad();
                bias2.ZeroGrad();
                tape.Reset();
            }

            Step(true);
            Step(false);
            Step(true);
            int created = tape.Pool.Created;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 5; step++)
            {
                Step(step % 2 == 0);
            }

            Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(created, tape.Pool.Created);
        }
    }

    /// <summary>Max pooling by definition: every window scanned row by row, the first of equal maxima kept.</summary>
    private static (float[] Y, int[] Argmax, int OutH, int OutW) NaiveMaxPool(Tensor x, ConvSettings window)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int outH = ((h + (2 * window.PaddingHeight) - window.KernelHeight) / window.StrideHeight) + 1;
        int outW = ((w + (2 * window.PaddingWidth) - window.KernelWidth) / window.StrideWidth) + 1;
        var y = new float[n * c * outH * outW];
        var argmax = new int[y.Length];
        for (int p = 0; p < n * c; p++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    float best = float.NegativeInfinity;
                    int at = -1;
                    for (int ky = 0; ky < window.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < window.KernelWidth; kx++)
                        {
                            int iy = (oy * window.StrideHeight) - window.PaddingHeight + ky, ix = (ox * window.StrideWidth) - window.PaddingWidth + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                            {
                                continue;
                            }

                            int index = (((p * h) + iy) * w) + ix;
                            if (at < 0 || x[index] > best)
                            {
                                best = x[index];
                                at = index;
                            }
                        }
                    }

                    int o = (((p * outH) + oy) * outW) + ox;
                    y[o] = best;
                    argmax[o] = at;
                }
            }
        }

        return (y, argmax, outH, outW);
    }

    private sealed record NormReference(double[] Y, double[] Mean, double[] Variance, double[] Inverse, double[] XHat, int Count);

    /// <summary>Batch normalisation in double by definition (two-pass statistics), with the given statistics when not null.</summary>
    private static NormReference NaiveBatchNorm(Tensor x, Tensor weight, Tensor bias, float[]? mean, float[]? variance, double eps)
    {
        int n = x.Dim(0), c = x.Dim(1), plane = x.Columns / c, count = n * plane;
        double[] mu = new double[c], sigma2 = new double[c], inverse = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            if (mean is not null)
            {
                mu[ch] = mean[ch];
                sigma2[ch] = variance![ch];
            }
            else
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        s += x[(((i * c) + ch) * plane) + p];
                    }
                }

                mu[ch] = s / count;
                double q = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        double d = x[(((i * c) + ch) * plane) + p] - mu[ch];
                        q += d * d;
                    }
                }

                sigma2[ch] = q / count;
            }

            inverse[ch] = 1 / Math.Sqrt(sigma2[ch] + eps);
        }

        var y = new double[x.Length];
        var xhat = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / plane % c;
            xhat[i] = (x[i] - mu[ch]) * inverse[ch];
            y[i] = (xhat[i] * weight[ch]) + bias[ch];
        }

        return new NormReference(y, mu, sigma2, inverse, xhat, count);
    }

    private static (double[] Dx, double[] Dw, double[] Db) NaiveBackward(Tensor x, Tensor weight, Tensor gy, NormReference reference, bool training)
    {
        int c = x.Dim(1), plane = x.Columns / c;
        double[] dw = new double[c], db = new double[c];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / plane % c;
            db[ch] += gy[i];
            dw[ch] += gy[i] * reference.XHat[i];
        }

        var dx = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / plane % c;
            double k = weight[ch] * reference.Inverse[ch];
            dx[i] = training
                ? k * (gy[i] - (db[ch] / reference.Count) - (reference.XHat[i] * dw[ch] / reference.Count))
                : k * gy[i];
        }

        return (dx, dw, db);
    }
}
