using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// The 28×28 DCGAN (the dcgan preset: fc6272, batch norm, ReLU, unflatten128x7x7, deconv64k4s2p1, batch norm, ReLU,
/// deconv1k4s2p1, sigmoid; discriminator conv64k4s2p1 leaky ReLU 0.2, conv128k4s2p1, batch norm, leaky ReLU 0.2;
/// critic fc1) on Fashion-MNIST with the preset's recommended Adam (2e-4 for both nets, β₁ 0.5) and batch 128, as
/// bench/peers/torch_dcgan.py trains the same nets: seconds per epoch (the median of the epochs after the first,
/// and the first), the last epoch's losses and scores, the load average; then one profiled epoch
/// (<see cref="GameProfile"/>).
/// Arguments: [epochs, default 3] [threads, default all cores] [images, default all 60,000].
/// </summary>
internal static class DcganBenchmark
{
    public static int Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);
        var train = new DatasetCatalog().Load("fashion-mnist").ScaleToUnit(0, 255);
        if (args.Length > 2)
        {
            train = train.Take(int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        var shape = train.ImageShape ?? throw new InvalidOperationException("fashion-mnist has no image shape.");
        var network = new AdversarialNetwork(AdversarialPresets.Defaults("dcgan", shape));
        var recommended = AdversarialPresets.RecommendedTrainer("dcgan");
        var options = new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 128,
            LearningRate = recommended.GeneratorLearningRate,
            DiscriminatorLearningRate = recommended.DiscriminatorLearningRate,
            Beta1 = recommended.Beta1,
            CheckpointEvery = 0,
        };
        Console.WriteLine($"latent, gemm {Gemm.KernelName}, threads {Parallelism.MaxThreads}, train {train.Count}×{shape}, load {EpochBenchmark.Load()}");
        Console.WriteLine($"dcgan: generator {network.Options.Generator}; discriminator {network.Options.Discriminator}; critic fc1; {recommended.Source}");
        var result = new AdversarialTrainer(options, new Printer()).Fit(network, new TensorSource(train.Features));

        var seconds = result.History.Epochs.Select(e => e.Seconds).ToArray();
        var last = result.History.Epochs[^1];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"median epoch after the first {Median(seconds.Length > 1 ? seconds[1..] : seconds):F2} s (first {seconds[0]:F2} s), last epoch: {Scores(last)}, load {EpochBenchmark.Load()}"));
        GameProfile.Run(result.Network, train.Features, options);
        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    // The names and order of torch_dcgan.py's lines, so the two outputs read side by side.
    private static string Scores(EpochRecord record) => string.Create(
        CultureInfo.InvariantCulture,
        $"D loss {record.Metric(AdversarialTarget.DiscriminatorMetric):F4}, G loss {record.Metric(AdversarialTarget.GeneratorMetric):F4}, D(x) {record.Metric(AdversarialTarget.RealScoreMetric):F4}, D(G(z)) {record.Metric(AdversarialTarget.FakeScoreMetric):F4}");

    private sealed class Printer : ITrainingObserver
    {
        public void EpochCompleted(EpochRecord record) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch,2}  {record.Seconds:F2} s  {Scores(record)}  load {EpochBenchmark.Load()}"));
    }
}
