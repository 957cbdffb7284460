using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// Trains an autoencoder on Fashion-MNIST's 60,000 training images with Adam 1e-3 and batch 128, and prints the
/// seconds of every epoch, their median and the test loss (negative ELBO, nats per image, on the 10,000 test
/// images), each with the 1-minute load average: the machine may be shared, so compare figures only at a
/// similar load. Then one more epoch with a clock on every phase of the step (<see cref="StepProfile"/>).
/// Arguments: [epochs, default 10] [threads, default all cores].
/// </summary>
internal static class EpochBenchmark
{
    public static int Run(string[] args, Func<Dataset, AutoencoderOptions> options)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);

        var catalog = new DatasetCatalog();
        var train = catalog.Load("fashion-mnist").ScaleToUnit(0, 255);
        var test = catalog.Load("fashion-mnist:test").ScaleToUnit(0, 255);
        var modelOptions = options(train);
        Console.WriteLine($"latent, gemm {Gemm.KernelName}, threads {Parallelism.MaxThreads}, train {train.Count}×{(object?)train.ImageShape ?? train.Dimension}, load {Load()}");
        Console.WriteLine($"{modelOptions.Preset}: encoder {modelOptions.Encoder}; decoder {string.Join(',', modelOptions.DecoderLayers().Select(l => l.Text))}; latent {modelOptions.Latent}");
        var trainerOptions = new TrainerOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, CheckpointEvery = 0 };
        var trainer = new Trainer(trainerOptions, new Printer());
        var result = trainer.Fit(new Autoencoder(modelOptions), train.Features);
        var seconds = result.History.Epochs.Select(e => e.Seconds).Order().ToArray();
        double median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
        var testLoss = result.Model.Evaluate(test.Features, new Rng(0), 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median epoch {median:F2} s, test loss {testLoss.Total:F2} nats, load {Load()}"));
        StepProfile.Run(result.Model, train.Features, trainerOptions);
        return 0;
    }

    internal static string Load()
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
