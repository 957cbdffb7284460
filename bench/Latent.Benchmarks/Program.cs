namespace Latent.Benchmarks;

/// <summary>Runs one benchmark, named by the first argument.</summary>
public static class Program
{
    /// <summary>Every benchmark: add one line here to add one.</summary>
    private static readonly (string Name, string Description, Func<string[], int> Run)[] s_benchmarks =
    [
        ("gemm", "SGEMM GFLOP/s: the VAE layer shapes 128×784×400 in each form, and 1024³", GemmBenchmark.Run),
        ("classical", "PCA, k-means, GMM and FA on Fashion-MNIST's 60,000 (args: [data set, default fashion-mnist] [methods: prefixes of pca-full, pca-randomized, kmeans-single, kmeans-restarts, gmm, fa; or all] [seed])", ClassicalBenchmark.Run),
        ("convlower", "how convolutions lower onto the GEMM: batched NHWC rows + transpose against per-image NCHW GEMMs, on the conv-VAE and chairs layers (args: [batch, default 128] [GEMM threads])", ConvLoweringBenchmark.Run),
        ("conv", "forward and forward + backward of the conv VAE's four conv layers, ms per call (args: [batch, default 128] [threads])", ConvBenchmark.Run),
        ("vae", "the reference VAE on Fashion-MNIST (args: [epochs, default 10] [GEMM threads]): seconds per epoch and test loss", VaeBenchmark.Run),
        ("stream", "data larger than memory: stream write PATH [rows] writes a large uint8 NPY of Fashion-MNIST images; stream run PROGRAM ARGS... runs a command and reports its peak anonymous and file-backed RSS", StreamBenchmark.Run),
        ("dcgan", "the 28×28 dcgan preset on Fashion-MNIST with its Adam settings, as bench/peers/torch_dcgan.py (args: [epochs, default 3] [threads] [images, default 60000]): seconds per epoch, last epoch's losses and D(x), D(G(z)), load average, then a profiled epoch", DcganBenchmark.Run),
        ("convvae", "the 28×28 conv-vae preset on Fashion-MNIST, as bench/peers/torch_conv_vae.py (args: [epochs, default 10] [threads]): seconds per epoch, test loss, load average", ConvVaeBenchmark.Run),
    ];

    public static int Main(string[] args)
    {
        foreach ((string name, _, Func<string[], int> run) in s_benchmarks)
        {
            if (args.Length > 0 && args[0] == name)
            {
                return run(args[1..]);
            }
        }

        if (args.Length > 0)
        {
            Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
        }

        Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Latent.Benchmarks -- <benchmark>");
        Console.Error.WriteLine("Benchmarks:");
        foreach ((string name, string description, _) in s_benchmarks)
        {
            Console.Error.WriteLine($"  {name,-10} {description}");
        }

        return 2;
    }
}
