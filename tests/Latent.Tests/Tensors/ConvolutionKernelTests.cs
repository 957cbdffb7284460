using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

/// <summary>The convolution, pooling and channel kernels against naive loops over odd sizes.</summary>
[Trait("Category", "Kernels")]
public class ConvolutionKernelTests
{
    /// <summary>Written where a kernel must not write.</summary>
    private const float Sentinel = 12345f;

    [Fact]
    public void GeometryGivesTheOutputSizes()
    {
        var g = new ConvolutionGeometry(2, 3, 28, 27, 4, 3, 2, 1, 1, 0);
        Assert.Equal((28 + 2 - 4) / 2 + 1, g.OutputHeight);
        Assert.Equal(27 - 3 + 1, g.OutputWidth);
        Assert.Equal(2 * g.OutputHeight * g.OutputWidth, g.Rows);
        Assert.Equal(3 * 4 * 3, g.Columns);
        Assert.Equal(2 * 3 * 28 * 27, g.InputSize);
        Assert.Equal(2 * 3 * g.OutputPlane, g.PooledSize);
        Assert.Equal(g, new ConvolutionGeometry(2, 3, 28, 27, 4, 3, 2, 1, 1, 0));
        Assert.Equal(5, g.WithImages(5).Images);
        Assert.Equal(g.OutputHeight, g.WithImages(5).OutputHeight);
        Assert.Equal(new ConvolutionGeometry(1, 1, 5, 5, 3, 3, 2, 2, 1, 1), ConvolutionGeometry.Square(1, 1, 5, 5, 3, 2, 1));
        Assert.Equal(3, ConvolutionGeometry.Square(1, 1, 5, 5, 3, 2, 1).OutputWidth);
        Assert.Contains("[2, 3, 28, 27]", g.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GeometryNamesTheShapesThatDoNotFit()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionGeometry.Square(1, 1, 2, 2, 3));
        Assert.Contains("A 3×3 kernel with padding 0 does not fit a 2×2 image", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new ConvolutionGeometry(1, 1, 9, 2, 3, 5, 1, 1, 0, 1));
        Assert.Contains("A 3×5 kernel with padding 0×1 does not fit a 9×2 image", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionGeometry.Square(0, 1, 5, 5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionGeometry.Square(1, 1, 5, 5, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionGeometry.Square(1, 1, 5, 5, 3, padding: -1));
        Assert.Throws<ArgumentException>(() => ConvolutionGeometry.Square(1 << 16, 1 << 10, 64, 64, 3));

        // Padding alone can make a window fit: a 1×1 image padded by 1 takes a 3×3 kernel once.
        Assert.Equal(1, ConvolutionGeometry.Square(1, 1, 1, 1, 3, 1, 1).OutputPlane);
    }

    [Fact]
    public void Im2ColMatchesNaiveLoopsInAnyRowBlocks()
    {
        var rng = new Rng(300);
        foreach (var g in Geometries(rng))
        {
            var x = Random(rng, g.InputSize);
            var expected = NaiveIm2Col(g, x);
            int k = g.Columns;
            foreach (int[] cuts in Splits(rng, g.Rows, g.OutputPlane))
            {
                var cols = new float[g.Rows * k];
                for (int b = 0; b + 1 < cuts.Length; b++)
                {
                    int start = cuts[b], count = cuts[b + 1] - start;

                    // A block buffer with room to spare: the spare stays untouched.
                    var block = Enumerable.Repeat(Sentinel, (count * k) + 5).ToArray();
                    ConvolutionKernels.Im2Col(g, x, block, start, count);
                    Assert.All(block[(count * k)..], v => Assert.Equal(Sentinel, v));
                    block.AsSpan(0, count * k).CopyTo(cols.AsSpan(start * k));
                }

                Assert.True(expected.AsSpan().SequenceEqual(cols), $"{g}, blocks {string.Join(',', cuts)}");
            }
        }
    }

    [Fact]
    public void Col2ImAddMatchesNaiveScatterBitwiseInAnyRowBlocks()
    {
        var rng = new Rng(301);
        foreach (var g in Geometries(rng))
        {
            var cols = Random(rng, g.Rows * g.Columns);
            var start0 = Random(rng, g.InputSize);
            var expected = (float[])start0.Clone();
            NaiveCol2ImAdd(g, cols, expected);
            foreach (int[] cuts in Splits(rng, g.Rows, g.OutputPlane))
            {
                var dx = (float[])start0.Clone();
                for (int b = 0; b + 1 < cuts.Length; b++)
                {
                    int start = cuts[b], count = cuts[b + 1] - start;
                    ConvolutionKernels.Col2ImAdd(g, cols.AsSpan(start * g.Columns, count * g.Columns), dx, start, count);
                }

                Assert.True(expected.AsSpan().SequenceEqual(dx), $"{g}, blocks {string.Join(',', cuts)}");
            }

            // One image per task, in parallel: each image's pixels have one writer, and the sum is bitwise the same.
            var parallel = (float[])start0.Clone();
            int rowsPerImage = g.OutputPlane * g.Columns;
            Parallel.For(0, g.Images, n => ConvolutionKernels.Col2ImAddImages(g, cols.AsSpan(n * rowsPerImage, rowsPerImage), parallel, n, 1));
            Assert.True(expected.AsSpan().SequenceEqual(parallel), g.ToString());
        }
    }

    [Fact]
    public void Col2ImAddIsTheAdjointOfIm2Col()
    {
        var rng = new Rng(302);
        foreach (var g in Geometries(rng))
        {
            var x = Random(rng, g.InputSize);
            var c = Random(rng, g.Rows * g.Columns);
            var cols = new float[c.Length];
            ConvolutionKernels.Im2Col(g, x, cols, 0, g.Rows);
            var dx = new float[x.Length];
            ConvolutionKernels.Col2ImAdd(g, c, dx, 0, g.Rows);
            double left = Dot(cols, c), right = Dot(x, dx);
            Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"{g}: ⟨Im2Col(x), c⟩ = {left}, ⟨x, Col2Im(c)⟩ = {right}");
        }
    }

    [Fact]
    public void LongKernelRowsTakeTheVectorPathsAndStillMatch()
    {
        // Kernel rows of 16 and more values are copied and added as whole spans.
        var rng = new Rng(303);
        foreach (var g in new[]
        {
            new ConvolutionGeometry(2, 2, 5, 40, 3, 17, 1, 2, 1, 3),
            new ConvolutionGeometry(1, 3, 4, 33, 2, 33, 1, 1, 0, 0),
            new ConvolutionGeometry(2, 1, 3, 21, 1, 20, 2, 1, 0, 2),
        })
        {
            var x = Random(rng, g.InputSize);
            var cols = new float[g.Rows * g.Columns];
            ConvolutionKernels.Im2Col(g, x, cols, 0, g.Rows);
            Assert.True(NaiveIm2Col(g, x).AsSpan().SequenceEqual(cols), g.ToString());
            var dx = Random(rng, g.InputSize);
            var expected = (float[])dx.Clone();
            NaiveCol2ImAdd(g, cols, expected);
            ConvolutionKernels.Col2ImAdd(g, cols, dx, 0, g.Rows);
            Assert.True(expected.AsSpan().SequenceEqual(dx), g.ToString());
        }
    }

    [Fact]
    public void KernelsRejectWrongSizes()
    {
        var g = ConvolutionGeometry.Square(2, 3, 5, 5, 3, 1, 1);
        var x = new float[g.InputSize];
        var cols = new float[g.Rows * g.Columns];
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Im2Col(g, x.AsSpan(1), cols, 0, g.Rows));
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Im2Col(g, x, cols.AsSpan(1), 0, g.Rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.Im2Col(g, x, cols, 1, g.Rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.Im2Col(g, x, cols, -1, 1));
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.Col2ImAdd(g, cols, x.AsSpan(1), 0, g.Rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.Col2ImAddImages(g, cols, x, 1, 2));
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.NhwcToNchw(new float[10], new float[12], 3, 2));
        Assert.Throws<ArgumentException>(() => ConvolutionKernels.NchwToNhwc(new float[13], new float[13], 3, 2));
        Assert.Throws<ArgumentException>(() => PoolingKernels.MaxPool2dForward(g, x, new float[g.PooledSize - 1], new int[g.PooledSize]));
        Assert.Throws<ArgumentException>(() => PoolingKernels.UpsampleNearestForward(new float[12], 3, 2, 2, 2, new float[47]));
        Assert.Throws<ArgumentException>(() => ChannelReductions.ChannelSums(new float[12], 2, 3, 2, new double[2], new double[3]));
    }

    [Fact]
    public void TransposesMatchLoopsAndRoundTripBitwiseInAnyBlocks()
    {
        var rng = new Rng(304);
        for (int trial = 0; trial < 200; trial++)
        {
            int images = 1 + rng.NextInt(3), channels = 1 + rng.NextInt(trial < 100 ? 5 : 70), plane = 1 + rng.NextInt(trial < 100 ? 9 : 81);
            int total = images * plane;
            var rows = Random(rng, total * channels);
            var nchw = new float[rows.Length];
            ConvolutionKernels.NhwcToNchw(rows, nchw, channels, plane);
            for (int n = 0; n < images; n++)
            {
                for (int c = 0; c < channels; c++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        Assert.Equal(rows[(((n * plane) + p) * channels) + c], nchw[(((n * channels) + c) * plane) + p]);
                    }
                }
            }

            var back = new float[rows.Length];
            ConvolutionKernels.NchwToNhwc(nchw, back, channels, plane);
            Assert.True(rows.AsSpan().SequenceEqual(back));

            // Blocks that cut images anywhere, each through a block-sized buffer.
            int[] cuts = RandomCuts(rng, total);
            var blocked = new float[nchw.Length];
            var blockedBack = new float[rows.Length];
            for (int b = 0; b + 1 < cuts.Length; b++)
            {
                int start = cuts[b], count = cuts[b + 1] - start;
                ConvolutionKernels.NhwcToNchw(rows.AsSpan(start * channels, count * channels), blocked, channels, plane, start, count);
                var block = new float[count * channels];
                ConvolutionKernels.NchwToNhwc(nchw, block, channels, plane, start, count);
                block.CopyTo(blockedBack, start * channels);
            }

            Assert.True(nchw.AsSpan().SequenceEqual(blocked));
            Assert.True(rows.AsSpan().SequenceEqual(blockedBack));
        }
    }

    [Fact]
    public void ConvolutionByIm2ColAndGemmMatchesDirectConvolution()
    {
        var rng = new Rng(305);
        var geometries = Geometries(rng).Take(60).Concat(
        [
            ConvolutionGeometry.Square(3, 1, 28, 28, 4, 2, 1),
            ConvolutionGeometry.Square(2, 32, 14, 14, 4, 2, 1),
            new ConvolutionGeometry(2, 3, 11, 13, 3, 5, 1, 2, 2, 1),
        ]);
        foreach (var g in geometries)
        {
            int outChannels = 1 + rng.NextInt(9), k = g.Columns;
            var x = Random(rng, g.InputSize);
            var weight = Random(rng, outChannels * k);
            var cols = new float[g.Rows * k];
            var rows = new float[g.Rows * outChannels];
            var y = new float[g.Images * outChannels * g.OutputPlane];

            // In blocks of rows, as a layer lowers: im2col a block, multiply it, transpose it into place.
            int[] cuts = RandomCuts(rng, g.Rows);
            for (int b = 0; b + 1 < cuts.Length; b++)
            {
                int start = cuts[b], count = cuts[b + 1] - start;
                ConvolutionKernels.Im2Col(g, x, cols, start, count);
                Gemm.Multiply(GemmForm.ABt, count, outChannels, k, 1f, cols, k, weight, k, 0f, rows, outChannels);
                ConvolutionKernels.NhwcToNchw(rows, y, outChannels, g.OutputPlane, start, count);
            }

            for (int n = 0; n < g.Images; n++)
            {
                for (int o = 0; o < outChannels; o++)
                {
                    for (int oy = 0; oy < g.OutputHeight; oy++)
                    {
                        for (int ox = 0; ox < g.OutputWidth; ox++)
                        {
                            (double sum, double magnitude) = DirectConvolution(g, x, weight, n, o, oy, ox);
                            float actual = y[(((n * outChannels) + o) * g.OutputPlane) + (oy * g.OutputWidth) + ox];
                            Assert.True(Math.Abs(actual - sum) <= (1e-5 * magnitude) + 1e-6, $"{g}, y[{n}, {o}, {oy}, {ox}] = {actual}, expected {sum}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void MaxPoolMatchesNaiveLoopsWithTiesToTheFirstMaximum()
    {
        var rng = new Rng(306);
        foreach (var g in Geometries(rng).Where(g => 2 * g.PaddingHeight <= g.KernelHeight && 2 * g.PaddingWidth <= g.KernelWidth))
        {
            // Few distinct values, so that most windows hold ties.
            var x = new float[g.InputSize];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = rng.NextInt(4) - 2;
            }

            var y = new float[g.PooledSize];
            var argmax = new int[g.PooledSize];
            PoolingKernels.MaxPool2dForward(g, x, y, argmax);
            for (int p = 0; p < g.Images * g.Channels; p++)
            {
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < g.OutputWidth; ox++)
                    {
                        float best = float.NegativeInfinity;
                        int bestIndex = -1;
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = (oy * g.StrideHeight) - g.PaddingHeight + ky, ix = (ox * g.StrideWidth) - g.PaddingWidth + kx;
                                if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width && (bestIndex < 0 || x[(p * g.InputPlane) + (iy * g.Width) + ix] > best))
                                {
                                    best = x[(p * g.InputPlane) + (iy * g.Width) + ix];
                                    bestIndex = (iy * g.Width) + ix;
                                }
                            }
                        }

                        int o = (p * g.OutputPlane) + (oy * g.OutputWidth) + ox;
                        Assert.True(bestIndex >= 0, $"{g}: an empty window");
                        Assert.Equal(best, y[o]);
                        Assert.Equal(bestIndex, argmax[o]);
                    }
                }
            }

            // Backward: every gradient lands on its argmax, added in order to what dx held.
            var gy = Random(rng, g.PooledSize);
            var start = Random(rng, g.InputSize);
            var expected = (float[])start.Clone();
            for (int o = 0; o < gy.Length; o++)
            {
                expected[(o / g.OutputPlane * g.InputPlane) + argmax[o]] += gy[o];
            }

            var dx = (float[])start.Clone();
            PoolingKernels.MaxPool2dBackward(g, gy, argmax, dx, accumulate: true);
            Assert.True(expected.AsSpan().SequenceEqual(dx), g.ToString());
            PoolingKernels.MaxPool2dBackward(g, gy, argmax, dx, accumulate: false);
            Assert.Equal(Dot(gy, y), Dot(dx, x), 1e-3);
        }
    }

    [Fact]
    public void MaxPoolPropagatesNaNAndRejectsWidePadding()
    {
        var g = ConvolutionGeometry.Square(1, 1, 2, 2, 2, 2);
        var y = new float[1];
        var argmax = new int[1];
        PoolingKernels.MaxPool2dForward(g, [1f, float.NaN, 5f, 2f], y, argmax);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1, argmax[0]);
        PoolingKernels.MaxPool2dForward(g, [float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity], y, argmax);
        Assert.Equal(float.NegativeInfinity, y[0]);
        Assert.Equal(0, argmax[0]);

        var wide = ConvolutionGeometry.Square(1, 1, 4, 4, 3, 1, 2);
        var e = Assert.Throws<ArgumentException>(() => PoolingKernels.MaxPool2dForward(wide, new float[16], new float[wide.PooledSize], new int[wide.PooledSize]));
        Assert.Contains("3×3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PoolingKernels.MaxPool2dBackward(g, [1f], [4], new float[4], accumulate: false));
    }

    [Fact]
    public void UpsampleMatchesLoopsAndItsBackwardIsTheAdjoint()
    {
        var rng = new Rng(307);
        for (int trial = 0; trial < 150; trial++)
        {
            int planes = 1 + rng.NextInt(5), h = 1 + rng.NextInt(9), w = 1 + rng.NextInt(9), f = 1 + rng.NextInt(4);
            int outH = h * f, outW = w * f;
            var x = Random(rng, planes * h * w);
            var y = new float[x.Length * f * f];
            PoolingKernels.UpsampleNearestForward(x, planes, h, w, f, y);
            for (int p = 0; p < planes; p++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        Assert.Equal(x[(((p * h) + (oy / f)) * w) + (ox / f)], y[(((p * outH) + oy) * outW) + ox]);
                    }
                }
            }

            var gy = Random(rng, y.Length);
            var start = Random(rng, x.Length);
            var expected = new float[x.Length];
            for (int p = 0; p < planes; p++)
            {
                for (int iy = 0; iy < h; iy++)
                {
                    for (int ix = 0; ix < w; ix++)
                    {
                        float sum = 0f;
                        for (int a = 0; a < f; a++)
                        {
                            for (int b = 0; b < f; b++)
                            {
                                sum += gy[(((p * outH) + (iy * f) + a) * outW) + (ix * f) + b];
                            }
                        }

                        expected[(((p * h) + iy) * w) + ix] = sum;
                    }
                }
            }

            var dx = Enumerable.Repeat(Sentinel, x.Length).ToArray();
            PoolingKernels.UpsampleNearestBackward(gy, planes, h, w, f, dx, accumulate: false);
            Assert.True(expected.AsSpan().SequenceEqual(dx));
            double left = Dot(y, gy), right = Dot(x, dx);
            Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"⟨Up(x), g⟩ = {left}, ⟨x, Up*(g)⟩ = {right}");

            var accumulated = (float[])start.Clone();
            PoolingKernels.UpsampleNearestBackward(gy, planes, h, w, f, accumulated, accumulate: true);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(start[i] + expected[i], accumulated[i]);
            }
        }
    }

    [Fact]
    public void ChannelSumsFollowTheirFixedOrderAndMatchDoubleLoops()
    {
        var rng = new Rng(308);
        for (int trial = 0; trial < 300; trial++)
        {
            // Every plane length 0..60 (all tails of every vector width), then a few long ones.
            int images = 1 + rng.NextInt(3), channels = 1 + rng.NextInt(3), plane = trial <= 60 ? trial : 1 + rng.NextInt(3000);
            var x = Random(rng, images * channels * plane);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] += 3f;
            }

            var sum = new double[channels];
            var squares = new double[channels];
            ChannelReductions.ChannelSums(x, images, channels, plane, sum, squares);
            for (int c = 0; c < channels; c++)
            {
                // The documented order: value p of each plane into accumulator p mod 8, images in order.
                var lanes = new double[8];
                var laneSquares = new double[8];
                double naive = 0, naiveSquares = 0;
                for (int n = 0; n < images; n++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        double v = x[(((n * channels) + c) * plane) + p];
                        lanes[p % 8] += v;
                        laneSquares[p % 8] += v * v;
                        naive += v;
                        naiveSquares += v * v;
                    }
                }

                Assert.Equal(Combine(lanes), sum[c]);
                Assert.Equal(Combine(laneSquares), squares[c]);
                Assert.Equal(naive, sum[c], 1e-9 * (1 + Math.Abs(naive)));
                Assert.Equal(naiveSquares, squares[c], 1e-9 * (1 + naiveSquares));
            }

            // A range of channels writes those alone.
            if (channels > 1)
            {
                var partial = Enumerable.Repeat(-1.0, channels).ToArray();
                var partialSquares = Enumerable.Repeat(-1.0, channels).ToArray();
                ChannelReductions.ChannelSums(x, images, channels, plane, partial, partialSquares, 1, channels - 1);
                Assert.Equal(-1.0, partial[0]);
                Assert.Equal(sum.AsSpan(1).ToArray(), partial.AsSpan(1).ToArray());
                Assert.Equal(squares.AsSpan(1).ToArray(), partialSquares.AsSpan(1).ToArray());
            }
        }
    }

    private static double Combine(double[] a) => ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));

    /// <summary>Random geometries over N 1..3, C 1..3, H and W 1..9, kernels 1..5, strides 1..3, padding 0..2, where they fit.</summary>
    private static List<ConvolutionGeometry> Geometries(Rng rng)
    {
        var list = new List<ConvolutionGeometry>
        {
            ConvolutionGeometry.Square(1, 1, 1, 1, 1),
            ConvolutionGeometry.Square(1, 1, 1, 1, 3, 1, 1),
            ConvolutionGeometry.Square(3, 3, 9, 9, 5, 3, 2),
            new ConvolutionGeometry(2, 2, 1, 9, 1, 5, 1, 3, 0, 2),
            new ConvolutionGeometry(2, 3, 7, 2, 5, 2, 2, 1, 2, 0),
        };
        while (list.Count < 250)
        {
            int n = 1 + rng.NextInt(3), c = 1 + rng.NextInt(3), h = 1 + rng.NextInt(9), w = 1 + rng.NextInt(9);
            int kh = 1 + rng.NextInt(5), kw = 1 + rng.NextInt(5), sh = 1 + rng.NextInt(3), sw = 1 + rng.NextInt(3);
            int ph = rng.NextInt(3), pw = rng.NextInt(3);
            if (h + (2 * ph) >= kh && w + (2 * pw) >= kw)
            {
                list.Add(new ConvolutionGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw));
            }
        }

        return list;
    }

    /// <summary>Ways to cut [0, rows) into blocks: whole, one row at a time, mid-image cuts, and random cuts.</summary>
    private static IEnumerable<int[]> Splits(Rng rng, int rows, int rowsPerImage)
    {
        yield return [0, rows];
        yield return Enumerable.Range(0, rows + 1).ToArray();
        int half = Math.Max(1, rowsPerImage / 2);
        yield return Enumerable.Range(0, (rows / half) + 1).Select(i => i * half).Append(rows).Distinct().ToArray();
        yield return RandomCuts(rng, rows);
    }

    private static int[] RandomCuts(Rng rng, int rows)
    {
        var cuts = new SortedSet<int> { 0, rows };
        int count = rng.NextInt(5);
        for (int i = 0; i < count; i++)
        {
            cuts.Add(rng.NextInt(rows + 1));
        }

        return [.. cuts];
    }

    private static float[] Random(Rng rng, int length)
    {
        var values = new float[length];
        rng.FillUniform(values, -1f, 1f);
        return values;
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static float[] NaiveIm2Col(ConvolutionGeometry g, float[] x)
    {
        var cols = new float[g.Rows * g.Columns];
        for (int n = 0; n < g.Images; n++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int r = (((n * g.OutputHeight) + oy) * g.OutputWidth) + ox;
                    for (int c = 0; c < g.Channels; c++)
                    {
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = (oy * g.StrideHeight) - g.PaddingHeight + ky, ix = (ox * g.StrideWidth) - g.PaddingWidth + kx;
                                int q = (((c * g.KernelHeight) + ky) * g.KernelWidth) + kx;
                                cols[(r * g.Columns) + q] = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width
                                    ? x[(((((n * g.Channels) + c) * g.Height) + iy) * g.Width) + ix]
                                    : 0f;
                            }
                        }
                    }
                }
            }
        }

        return cols;
    }

    /// <summary>The scatter, rows in order and taps in order within a row.</summary>
    private static void NaiveCol2ImAdd(ConvolutionGeometry g, float[] cols, float[] dx)
    {
        for (int n = 0; n < g.Images; n++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int r = (((n * g.OutputHeight) + oy) * g.OutputWidth) + ox;
                    for (int c = 0; c < g.Channels; c++)
                    {
                        for (int ky = 0; ky < g.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < g.KernelWidth; kx++)
                            {
                                int iy = (oy * g.StrideHeight) - g.PaddingHeight + ky, ix = (ox * g.StrideWidth) - g.PaddingWidth + kx;
                                if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width)
                                {
                                    dx[(((((n * g.Channels) + c) * g.Height) + iy) * g.Width) + ix] +=
                                        cols[(r * g.Columns) + (((c * g.KernelHeight) + ky) * g.KernelWidth) + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>One output of the direct convolution, in double, with Σ|terms| for the tolerance.</summary>
    private static (double Sum, double Magnitude) DirectConvolution(ConvolutionGeometry g, float[] x, float[] weight, int n, int o, int oy, int ox)
    {
        double sum = 0, magnitude = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int iy = (oy * g.StrideHeight) - g.PaddingHeight + ky, ix = (ox * g.StrideWidth) - g.PaddingWidth + kx;
                    if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width)
                    {
                        double term = (double)weight[(((((o * g.Channels) + c) * g.KernelHeight) + ky) * g.KernelWidth) + kx]
                            * x[(((((n * g.Channels) + c) * g.Height) + iy) * g.Width) + ix];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }
                }
            }
        }

        return (sum, magnitude);
    }
}
