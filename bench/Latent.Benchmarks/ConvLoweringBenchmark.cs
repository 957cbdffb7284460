using System.Diagnostics;
using System.Globalization;
using Latent.Tensors;

namespace Latent.Benchmarks;

/// <summary>
/// How should a convolution lower onto the GEMM? Times the GEMMs of the two candidates on the conv-VAE's
/// and the 64×64 chairs net's layers (4×4 kernels, stride 2, padding 1), forward and backward, without the
/// im2col/col2im passes (the same for both): (a) one batched GEMM over every output pixel, NHWC rows with
/// the bias fused per column, then a naive NHWC → NCHW transpose; (b) one GEMM per image straight into NCHW,
/// without bias (the kernels have no per-row bias yet). The decision is recorded on
/// <see cref="ConvolutionLowering"/>.
/// </summary>
internal static class ConvLoweringBenchmark
{
    /// <summary>Timed samples per measurement; the median is printed.</summary>
    private const int Samples = 7;

    /// <summary>Each sample repeats the work until it lasts at least this long.</summary>
    private static readonly TimeSpan s_sampleTime = TimeSpan.FromMilliseconds(20);

    private static readonly (string Net, int Channels, int Size, int OutputChannels)[] s_layers =
    [
        ("conv-vae", 1, 28, 32),
        ("conv-vae", 32, 14, 64),
        ("chairs", 1, 64, 32),
        ("chairs", 32, 32, 32),
        ("chairs", 32, 16, 64),
        ("chairs", 64, 8, 64),
    ];

    public static int Run(string[] args)
    {
        int batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 128;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);
        int threads = Parallelism.MaxThreads;
        var window = ConvSettings.Square(4, 2, 1);
        Console.WriteLine($"kernel {Gemm.KernelName}, {Environment.ProcessorCount} cores, GEMM threads {threads}, batch {batch}, {window}; load average {LoadAverage()}");
        Console.WriteLine("ms per call as the median of 7 samples (GFLOP/s of the GEMMs alone in brackets)");
        Console.WriteLine("(a) batched: cols [N·P, K] · Wᵀ with bias per column → NHWC, + transpose to NCHW (naive, and blocked: the total uses the blocked one)");
        Console.WriteLine("(b) per image: W · cols_n → NCHW, no bias; 'seq' splits each GEMM over the threads, 'par' runs images on threads");
        Console.WriteLine();
        Console.WriteLine($"{"net",-9} {"layer",-20} {"P",5} {"K",5} | {"a: GEMM",16} {"+transp",8} {"blocked",8} {"= total",8} | {"b: seq",16} {"b: par",16} | {"bwd a",16} {"bwd b par",16}");
        var totals = new Dictionary<string, double[]>();
        foreach ((string net, int channels, int size, int outputChannels) in s_layers)
        {
            var input = new ImageShape(channels, size, size);
            var output = window.Output(input, outputChannels);
            var r = MeasureLayer(batch, input, output, window, threads);
            if (!totals.TryGetValue(net, out double[]? sum))
            {
                sum = new double[5];
                totals.Add(net, sum);
            }

            double[] times = [r.AGemm, r.ATranspose, r.AGemm + r.ABlocked, r.BSequential, r.BParallel, r.BackwardA, r.BackwardB];
            sum[0] += times[2];
            sum[1] += times[3];
            sum[2] += times[4];
            sum[3] += times[5];
            sum[4] += times[6];
            double gflop = r.Flops / 1e9;
            Console.WriteLine(
                $"{net,-9} {$"{input}→{output}",-20} {r.Pixels,5} {r.Depth,5} | {Cell(r.AGemm, gflop),16} {r.ATranspose,8:F3} {r.ABlocked,8:F3} {times[2],8:F3} | "
                + $"{Cell(r.BSequential, gflop),16} {Cell(r.BParallel, gflop),16} | {Cell(r.BackwardA, 2 * gflop),16} {Cell(r.BackwardB, 2 * gflop),16}");
        }

        Console.WriteLine();
        foreach ((string net, double[] sum) in totals)
        {
            Console.WriteLine($"{net,-9} forward (a, blocked transpose) {sum[0]:F3} ms, (b) seq {sum[1]:F3} ms, (b) par {sum[2]:F3} ms; backward GEMMs (a) {sum[3]:F3} ms, (b) par {sum[4]:F3} ms");
        }

        Console.WriteLine($"load average at the end {LoadAverage()}");
        return 0;
    }

    private static string Cell(double ms, double gflop) => $"{ms,7:F3} ({gflop / (ms / 1e3),5:F1})";

    private sealed record LayerTimes(int Pixels, int Depth, double Flops, double AGemm, double ATranspose, double ABlocked, double BSequential, double BParallel, double BackwardA, double BackwardB);

    private static LayerTimes MeasureLayer(int batch, ImageShape input, ImageShape output, ConvSettings window, int threads)
    {
        int pixels = output.Height * output.Width;
        int depth = input.Channels * window.KernelHeight * window.KernelWidth;
        int cout = output.Channels;
        int rows = batch * pixels;
        var rng = new Rng(7);
        float[] cols = new float[rows * depth], weight = new float[cout * depth], bias = new float[cout];
        float[] nhwc = new float[rows * cout], nchw = new float[rows * cout];
        float[] dWeight = new float[cout * depth], dCols = new float[rows * depth];
        rng.FillNormal(cols, 0f, 1f);
        rng.FillNormal(weight, 0f, 0.1f);
        rng.FillNormal(bias, 0f, 0.1f);
        rng.FillNormal(nchw, 0f, 1f);

        // (a) forward: one GEMM over every output pixel of the batch, the bias fused per output channel.
        double aGemm = Time(() => Gemm.Multiply(GemmForm.ABt, rows, cout, depth, 1f, cols, depth, weight, depth, 0f, nhwc, cout, new GemmEpilogue(bias)));
        double aTranspose = Time(() => Transpose(nhwc, nchw, batch, pixels, cout));
        double aBlocked = Time(() => TransposeBlocked(nhwc, nchw, batch, pixels, cout));

        // (b) forward: per image, out_n [Cout, P] = W [Cout, K] · cols_n [K, P] (cols_n in im2col's classic layout).
        int imageCols = depth * pixels, imageOut = cout * pixels;
        double bSequential = Time(() =>
        {
            for (int n = 0; n < batch; n++)
            {
                Gemm.Multiply(GemmForm.AB, cout, pixels, depth, 1f, weight, depth, cols.AsSpan(n * imageCols, imageCols), pixels, 0f, nchw.AsSpan(n * imageOut, imageOut), pixels);
            }
        });
        double bParallel = Time(() => PerImage(batch, threads, n =>
            Gemm.MultiplyOnCallingThread(GemmForm.AB, cout, pixels, depth, 1f, weight, depth, cols.AsSpan(n * imageCols, imageCols), pixels, 0f, nchw.AsSpan(n * imageOut, imageOut), pixels)));

        // Backward of (a): the NCHW gradient back to NHWC rows G [N·P, Cout]; dW = Gᵀ·cols; dcols = G·W.
        double backwardA = Time(() =>
        {
            TransposeBack(nchw, nhwc, batch, pixels, cout);
            Gemm.Multiply(GemmForm.AtB, cout, depth, rows, 1f, nhwc, cout, cols, depth, 0f, dWeight, depth);
            Gemm.Multiply(GemmForm.AB, rows, depth, cout, 1f, nhwc, cout, weight, depth, 0f, dCols, depth);
        });

        // Backward of (b), images on threads: dW += G_n·cols_nᵀ (one partial sum per thread, then added);
        // dcols_n = Wᵀ·G_n.
        float[][] partial = [.. Enumerable.Range(0, threads).Select(_ => new float[cout * depth])];
        double backwardB = Time(() =>
        {
            Parallel.For(0, threads, t =>
            {
                (int start, int end) = (batch * t / threads, batch * (t + 1) / threads);
                for (int n = start; n < end; n++)
                {
                    var g = nchw.AsSpan(n * imageOut, imageOut);
                    var c = cols.AsSpan(n * imageCols, imageCols);
                    Gemm.MultiplyOnCallingThread(GemmForm.ABt, cout, depth, pixels, 1f, g, pixels, c, pixels, n == start ? 0f : 1f, partial[t], depth);
                    Gemm.MultiplyOnCallingThread(GemmForm.AtB, depth, pixels, cout, 1f, weight, depth, g, pixels, 0f, dCols.AsSpan(n * imageCols, imageCols), pixels);
                }
            });
            partial[0].CopyTo(dWeight, 0);
            for (int t = 1; t < threads; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(dWeight, partial[t], dWeight);
            }
        });

        double flops = 2.0 * rows * cout * depth;
        return new LayerTimes(pixels, depth, flops, aGemm, aTranspose, aBlocked, bSequential, bParallel, backwardA, backwardB);
    }

    /// <summary>Runs <paramref name="image"/> for images 0..batch−1, contiguous ranges of them on each thread.</summary>
    private static void PerImage(int batch, int threads, Action<int> image) =>
        Parallel.For(0, threads, t =>
        {
            for (int n = batch * t / threads; n < batch * (t + 1) / threads; n++)
            {
                image(n);
            }
        });

    /// <summary>nchw[n, c, p] = nhwc[n, p, c], the naive loop.</summary>
    private static void Transpose(float[] nhwc, float[] nchw, int batch, int pixels, int channels)
    {
        for (int n = 0; n < batch; n++)
        {
            int offset = n * pixels * channels;
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    nchw[offset + (c * pixels) + p] = nhwc[offset + (p * channels) + c];
                }
            }
        }
    }

    /// <summary>nchw[n, c, p] = nhwc[n, p, c] in blocks of 16 pixels, so the rows read stay in L1 while each channel's 16 values are written contiguously.</summary>
    private static void TransposeBlocked(float[] nhwc, float[] nchw, int batch, int pixels, int channels)
    {
        const int Block = 16;
        for (int n = 0; n < batch; n++)
        {
            int offset = n * pixels * channels;
            for (int p0 = 0; p0 < pixels; p0 += Block)
            {
                int p1 = Math.Min(p0 + Block, pixels);
                for (int c = 0; c < channels; c++)
                {
                    int to = offset + (c * pixels);
                    for (int p = p0; p < p1; p++)
                    {
                        nchw[to + p] = nhwc[offset + (p * channels) + c];
                    }
                }
            }
        }
    }

    /// <summary>nhwc[n, p, c] = nchw[n, c, p], the naive loop.</summary>
    private static void TransposeBack(float[] nchw, float[] nhwc, int batch, int pixels, int channels)
    {
        for (int n = 0; n < batch; n++)
        {
            int offset = n * pixels * channels;
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    nhwc[offset + (p * channels) + c] = nchw[offset + (c * pixels) + p];
                }
            }
        }
    }

    /// <summary>Median milliseconds of one call of <paramref name="work"/>.</summary>
    private static double Time(Action work)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed < s_sampleTime * 3 || calls < 3)
        {
            work();
            calls++;
        }

        int perSample = Math.Max(1, calls / 3);
        double[] ms = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            watch.Restart();
            for (int i = 0; i < perSample; i++)
            {
                work();
            }

            ms[s] = watch.Elapsed.TotalMilliseconds / perSample;
        }

        Array.Sort(ms);
        return ms[Samples / 2];
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
