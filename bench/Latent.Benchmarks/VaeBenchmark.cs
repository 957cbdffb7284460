using Latent.Models;

namespace Latent.Benchmarks;

/// <summary>
/// The reference VAE (784-400-20, Bernoulli, Adam 1e-3, batch 128) on Fashion-MNIST: seconds per epoch and the
/// test loss, as bench/peers/torch_vae.py measures the same model in PyTorch.
/// </summary>
internal static class VaeBenchmark
{
    public static int Run(string[] args) => EpochBenchmark.Run(args, train => Presets.Defaults("vae", train.Dimension));
}
