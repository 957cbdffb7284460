using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Latent.Classical;
using Latent.Tensors;

namespace Latent.Benchmarks;

/// <summary>
/// The classical methods on Fashion-MNIST's 60,000 × 784 training images scaled to [0, 1]: PCA-50 (exact and
/// randomised), k-means k=10 (1 and 10 restarts), Gaussian mixtures k=10 (full and diagonal) on the randomised
/// PCA-50 features, and factor analysis with 20 factors. bench/peers/sklearn_classical.py does the same work
/// with scikit-learn and prints the same table.
/// </summary>
internal static class ClassicalBenchmark
{
    private const string DefaultPath = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    /// <summary>Arguments: [IDX file] [comma-separated method prefixes to run].</summary>
    public static int Run(string[] args)
    {
        string path = args.Length > 0 ? args[0] : DefaultPath;
        string[]? only = args.Length > 1 ? args[1].Split(',') : null;
        Tensor x = LoadImages(path);
        Console.WriteLine($"Latent, {Environment.ProcessorCount} cores, GEMM kernel {Gemm.KernelName}, data {x.Rows}x{x.Columns}");
        Console.WriteLine($"{"method",-24} {"time s",9} {"iterations",10}  quality");
        bool Wanted(string name) => only is null || only.Any(name.StartsWith);

        Tensor? features = null;
        foreach (PcaSolver solver in new[] { PcaSolver.Full, PcaSolver.Randomized })
        {
            string name = solver == PcaSolver.Full ? "pca-full" : "pca-randomized";
            if (Wanted(name) || (solver == PcaSolver.Randomized && Wanted("gmm")))
            {
                (PcaModel pca, double seconds) = Timed(() => new PcaOptions { Components = 50, Solver = solver, Seed = 0 }.Fit(x));
                Report($"pca-50 {(solver == PcaSolver.Full ? "full" : "randomized")}", seconds, "-", $"explained variance ratio {pca.ExplainedVarianceRatio.Sum():F6}");
                if (solver == PcaSolver.Randomized)
                {
                    features = pca.Transform(x);
                }
            }
        }

        foreach (int restarts in new[] { 1, 10 })
        {
            if (Wanted("kmeans"))
            {
                (KMeansModel km, double seconds) = Timed(() => new KMeansOptions { Clusters = 10, Restarts = restarts, Seed = 0 }.Fit(x));
                Report($"kmeans-10 n_init {restarts}", seconds, km.Iterations.ToString(CultureInfo.InvariantCulture), $"inertia {km.Inertia:E6}");
            }
        }

        foreach (CovarianceType type in new[] { CovarianceType.Full, CovarianceType.Diagonal })
        {
            if (Wanted("gmm"))
            {
                (GaussianMixtureModel gmm, double seconds) = Timed(() => new GaussianMixtureOptions { Components = 10, CovarianceType = type, Seed = 0 }.Fit(features!));
                Report(
                    $"gmm-10 {(type == CovarianceType.Full ? "full" : "diag")}", seconds, gmm.Iterations.ToString(CultureInfo.InvariantCulture),
                    $"mean log-likelihood {gmm.Score(features!):F6} (lower bound {gmm.LowerBound:F6}), BIC {gmm.Bic(features!):E6}");
            }
        }

        if (Wanted("fa"))
        {
            (FactorAnalysisModel fa, double seconds) = Timed(() => new FactorAnalysisOptions { Components = 20, Seed = 0 }.Fit(x));
            Report("fa-20", seconds, fa.Iterations.ToString(CultureInfo.InvariantCulture), $"mean log-likelihood {fa.Score(x):F6}");
        }

        return 0;
    }

    private static void Report(string name, double seconds, string iterations, string quality) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} {seconds,9:F2} {iterations,10}  {quality}"));

    private static (T Model, double Seconds) Timed<T>(Func<T> fit)
    {
        var clock = Stopwatch.StartNew();
        T model = fit();
        return (model, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A gzipped IDX file of uint8 images as a [count, pixels] tensor scaled to [0, 1].</summary>
    private static Tensor LoadImages(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        byte[] raw = memory.ToArray();
        if (raw.Length < 16 || raw[2] != 0x08 || raw[3] != 3)
        {
            throw new InvalidDataException($"{path} is not an IDX file of uint8 images (magic 0x00000803).");
        }

        int count = (raw[4] << 24) | (raw[5] << 16) | (raw[6] << 8) | raw[7];
        int pixels = ((raw[8] << 24) | (raw[9] << 16) | (raw[10] << 8) | raw[11]) * ((raw[12] << 24) | (raw[13] << 16) | (raw[14] << 8) | raw[15]);
        if (raw.Length != 16 + ((long)count * pixels))
        {
            throw new InvalidDataException($"{path} holds {raw.Length - 16} bytes of pixels; its header says {count} × {pixels}.");
        }

        var x = Tensor.Zeros(count, pixels);
        Span<float> values = x.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = raw[16 + i] / 255f;
        }

        return x;
    }
}
