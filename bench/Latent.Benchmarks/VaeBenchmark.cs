using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// The reference VAE (784-400-20, Bernoulli, Adam 1e-3, batch 128) on Fashion-MNIST's 60,000 training images:
/// seconds per epoch and the test loss (negative ELBO, nats per image), as bench/peers/torch_vae.py measures.
/// </summary>
internal static class VaeBenchmark
{
    public static int Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);

        var catalog = new DatasetCatalog();
        var train = catalog.Load("fashion-mnist").ScaleToUnit(0, 255);
        var test = catalog.Load("fashion-mnist:test").ScaleToUnit(0, 255);
        Console.WriteLine($"latent, gemm {Gemm.KernelName}, threads {Parallelism.MaxThreads}, train {train.Count}×{train.Dimension}");
        var model = new Autoencoder(Presets.Defaults("vae", train.Dimension));
        var trainer = new Trainer(new TrainerOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, CheckpointEvery = 0 }, new Printer());
        var result = trainer.Fit(model, train.Features);
        var seconds = result.History.Epochs.Select(e => e.Seconds).Order().ToArray();
        double median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
        var testLoss = result.Model.Evaluate(test.Features, new Rng(0), 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median epoch {median:F2} s, test loss {testLoss.Total:F2} nats"));
        return 0;
    }

    private sealed class Printer : ITrainingObserver
    {
        public void EpochCompleted(EpochRecord record) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch,2}  {record.Seconds:F2} s  train loss {record.Train.Total:F2}"));
    }
}
