using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// The 28×28 convolutional VAE (the conv-vae preset: conv32k4s2p1,conv64k4s2p1,fc256 / fc256,fc3136,
/// unflatten64x7x7,deconv32k4s2p1,deconv1k4s2p1; 20 latents, Bernoulli) with Adam 1e-3 and batch 128 on
/// Fashion-MNIST's 60,000 training images: seconds per epoch and the test loss (negative ELBO, nats per image),
/// as bench/peers/torch_conv_vae.py measures the same net in PyTorch.
/// </summary>
internal static class ConvVaeBenchmark
{
    public static int Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);

        var catalog = new DatasetCatalog();
        var train = catalog.Load("fashion-mnist").ScaleToUnit(0, 255);
        var test = catalog.Load("fashion-mnist:test").ScaleToUnit(0, 255);
        var shape = train.ImageShape ?? throw new InvalidOperationException("fashion-mnist has no image shape.");
        Console.WriteLine($"latent, gemm {Gemm.KernelName}, threads {Parallelism.MaxThreads}, train {train.Count}×{shape}, load {Load()}");
        var options = Presets.Defaults("conv-vae", shape);
        Console.WriteLine($"encoder {options.Encoder}; decoder {string.Join(',', options.DecoderLayers().Select(l => l.Text))}; latent {options.Latent}");
        var model = new Autoencoder(options);
        var trainer = new Trainer(new TrainerOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, CheckpointEvery = 0 }, new Printer());
        var result = trainer.Fit(model, train.Features);
        var seconds = result.History.Epochs.Select(e => e.Seconds).Order().ToArray();
        double median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
        var testLoss = result.Model.Evaluate(test.Features, new Rng(0), 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median epoch {median:F2} s, test loss {testLoss.Total:F2} nats, load {Load()}"));
        return 0;
    }

    // The 1-minute load average (the machine may be shared: compare figures only at a similar load).
    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed class Printer : ITrainingObserver
    {
        public void EpochCompleted(EpochRecord record) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch,2}  {record.Seconds:F2} s  train loss {record.Train.Total:F2}  load {Load()}"));
    }
}
