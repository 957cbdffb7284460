using System.Diagnostics;
using System.Globalization;
using Latent.Classical;
using Latent.Data;
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
    /// <summary>Arguments: [data set: a catalog name or path, default fashion-mnist] [comma-separated method prefixes to run] [seed, default 0].</summary>
    public static int Run(string[] args)
    {
        string specification = args.Length > 0 ? args[0] : "fashion-mnist";
        string[]? only = args.Length > 1 && args[1] != "all" ? args[1].Split(',') : null;
        ulong seed = args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 0;

        // The grey levels 0..255 scaled to [0, 1], as the peer does.
        Tensor x = new DatasetCatalog().Load(specification).ScaleToUnit(0f, 255f).Features;
        Console.WriteLine($"Latent, {Environment.ProcessorCount} cores, GEMM kernel {Gemm.KernelName}, data {x.Rows}x{x.Columns}, seed {seed}, load average {LoadAverage()}");
        Console.WriteLine($"{"method",-24} {"time s",9} {"iterations",10}  quality");
        bool Wanted(string name) => only is null || only.Any(name.StartsWith);

        Tensor? features = null;
        foreach (PcaSolver solver in new[] { PcaSolver.Full, PcaSolver.Randomized })
        {
            string name = solver == PcaSolver.Full ? "pca-full" : "pca-randomized";
            if (Wanted(name) || (solver == PcaSolver.Randomized && (Wanted("gmm-full") || Wanted("gmm-diag"))))
            {
                (PcaModel pca, double seconds) = Timed(data => new PcaOptions { Components = 50, Solver = solver, Seed = seed }.Fit(data), x);
                Report($"pca-50 {(solver == PcaSolver.Full ? "full" : "randomized")}", seconds, "-", $"explained variance ratio {pca.ExplainedVarianceRatio.Sum():F6}");
                if (solver == PcaSolver.Randomized)
                {
                    features = pca.Transform(x);
                }
            }
        }

        foreach (int restarts in new[] { 1, 10 })
        {
            if (Wanted(restarts == 1 ? "kmeans-single" : "kmeans-restarts"))
            {
                (KMeansModel km, double seconds) = Timed(data => new KMeansOptions { Clusters = 10, Restarts = restarts, Seed = seed }.Fit(data), x);
                Report($"kmeans-10 n_init {restarts}", seconds, km.Iterations.ToString(CultureInfo.InvariantCulture), $"inertia {km.Inertia:E6}");
            }
        }

        foreach (CovarianceType type in new[] { CovarianceType.Full, CovarianceType.Diagonal })
        {
            if (Wanted(type == CovarianceType.Full ? "gmm-full" : "gmm-diag"))
            {
                (GaussianMixtureModel gmm, double seconds) = Timed(data => new GaussianMixtureOptions { Components = 10, CovarianceType = type, Seed = seed }.Fit(data), features!);
                Report(
                    $"gmm-10 {(type == CovarianceType.Full ? "full" : "diag")}", seconds, gmm.Iterations.ToString(CultureInfo.InvariantCulture),
                    $"mean log-likelihood {gmm.Score(features!):F6} (lower bound {gmm.LowerBound:F6}), BIC {gmm.Bic(features!):E6}");
            }
        }

        if (Wanted("fa"))
        {
            (FactorAnalysisModel fa, double seconds) = Timed(data => new FactorAnalysisOptions { Components = 20, Seed = seed }.Fit(data), x);
            Report("fa-20", seconds, fa.Iterations.ToString(CultureInfo.InvariantCulture), $"mean log-likelihood {fa.Score(x):F6}");
        }

        return 0;
    }

    private static void Report(string name, double seconds, string iterations, string quality) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} {seconds,9:F2} {iterations,10}  {quality}"));

    // Each method first runs once on the first 2,000 rows, so that the JIT is not timed: the ML.NET peer warms up the
    // same way, and Python's peer runs compiled code from its first call.
    private static (T Model, double Seconds) Timed<T>(Func<Tensor, T> fit, Tensor data)
    {
        int rows = Math.Min(WarmUpRows, data.Rows);
        fit(Tensor.FromArray(data.Span[..(rows * data.Columns)].ToArray(), rows, data.Columns));
        var clock = Stopwatch.StartNew();
        T model = fit(data);
        return (model, clock.Elapsed.TotalSeconds);
    }

    private const int WarmUpRows = 2000;

    /// <summary>The 1-minute load average (Linux), or "n/a" elsewhere: the machine is shared, so every run says how busy it was.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
