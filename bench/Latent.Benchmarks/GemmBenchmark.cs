using System.Diagnostics;
using Latent.Tensors;

namespace Latent.Benchmarks;

/// <summary>
/// SGEMM throughput on the shapes a VAE's 784 → 400 layer uses with a batch of 128 (forward x·Wᵀ, input
/// gradient G·W, weight gradient Gᵀ·X) and on 1024³, on 2 threads and on 1. bench/peers/gemm_numpy.py
/// times the same shapes with numpy and OpenBLAS.
/// </summary>
internal static class GemmBenchmark
{
    /// <summary>Timed samples per shape; the median and the best are printed.</summary>
    private const int Samples = 15;

    /// <summary>Each sample repeats the product until it lasts at least this long.</summary>
    private static readonly TimeSpan s_sampleTime = TimeSpan.FromMilliseconds(20);

    private static readonly (string Name, GemmForm Form, int M, int N, int K)[] s_shapes =
    [
        ("forward x·Wᵀ   128×400×784", GemmForm.ABt, 128, 400, 784),
        ("dX = G·W       128×784×400", GemmForm.AB, 128, 784, 400),
        ("dW = Gᵀ·X      400×784×128", GemmForm.AtB, 400, 784, 128),
        ("1024³ A·B", GemmForm.AB, 1024, 1024, 1024),
    ];

    public static int Run(string[] args)
    {
        int[] threadCounts = args.Length > 0 ? [int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture)] : [2, 1];
        Console.WriteLine($"kernel {Gemm.KernelName}, {Environment.ProcessorCount} cores, GFLOP/s as median (best) of {Samples} samples");
        Console.WriteLine($"{"shape (m×n×k)",-30} {"form",-5} {"threads",7} {"median",8} {"best",8}");
        foreach (int threads in threadCounts)
        {
            using ParallelismScope limit = Parallelism.Limit(threads);
            foreach ((string name, GemmForm form, int m, int n, int k) in s_shapes)
            {
                (double median, double best) = Measure(form, m, n, k);
                Console.WriteLine($"{name,-30} {form,-5} {threads,7} {median,8:F1} {best,8:F1}");
            }
        }

        return 0;
    }

    private static (double Median, double Best) Measure(GemmForm form, int m, int n, int k)
    {
        var rng = new Rng(42);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        rng.FillNormal(a, 0f, 1f);
        rng.FillNormal(b, 0f, 1f);
        int lda = form == GemmForm.AtB ? m : k;
        int ldb = form == GemmForm.ABt ? k : n;

        // Warm up (JIT tiers, packing buffers, thread pool) and find how many calls fill a sample.
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed < s_sampleTime * 5 || calls < 3)
        {
            Gemm.Multiply(form, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
            calls++;
        }

        int perSample = Math.Max(1, (int)(calls / 5.0));
        double[] seconds = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            watch.Restart();
            for (int i = 0; i < perSample; i++)
            {
                Gemm.Multiply(form, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
            }

            seconds[s] = watch.Elapsed.TotalSeconds / perSample;
        }

        Array.Sort(seconds);
        double flops = 2.0 * m * n * k;
        return (flops / seconds[Samples / 2] / 1e9, flops / seconds[0] / 1e9);
    }
}
