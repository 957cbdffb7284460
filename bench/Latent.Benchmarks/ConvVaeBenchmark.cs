using Latent.Models;

namespace Latent.Benchmarks;

/// <summary>
/// The 28×28 convolutional VAE (the conv-vae preset: conv32k4s2p1,conv64k4s2p1,fc256 / fc256,fc3136,
/// unflatten64x7x7,deconv32k4s2p1,deconv1k4s2p1; 20 latents, Bernoulli) with Adam 1e-3 and batch 128 on
/// Fashion-MNIST: seconds per epoch and the test loss, as bench/peers/torch_conv_vae.py measures the same net.
/// </summary>
internal static class ConvVaeBenchmark
{
    public static int Run(string[] args) =>
        EpochBenchmark.Run(args, train => Presets.Defaults("conv-vae", train.ImageShape ?? throw new InvalidOperationException("fashion-mnist has no image shape.")));
}
