using System.CommandLine;
using System.Globalization;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent train dcgan|infogan --data DATA --out runs/NAME</c>: trains a GAN preset with <see cref="AdversarialTrainingRun"/>.</summary>
internal static class AdversarialTrainCommand
{
    /// <summary>Checks the options, opens the data and trains (or resumes) the GAN into <paramref name="folder"/>; returns the exit code.</summary>
    public static int Run(
        ParseResult parsed, AdversarialTrainOptions adversarial, string preset, string dataSpec, int? limit, string folder,
        TrainerOptions common, float? generatorRate, float? noise, bool resume, bool quiet)
    {
        var dataset = CliData.Open(dataSpec, limit: limit);
        try
        {
            if (limit is { } first && !quiet)
            {
                Console.WriteLine($"data {CliData.Describe(dataset)} (at most the first {first} items: --limit)");
            }

            var network = adversarial.Build(parsed, preset, dataset, noise, common.Seed);
            (var trainer, string message) = adversarial.Trainer(parsed, preset, common, generatorRate);
            if (!quiet)
            {
                Console.WriteLine(message);
            }

            var run = new AdversarialRunOptions { Network = network, Trainer = trainer, Resume = resume };
            var result = TrainingProgress.Run(quiet, Console.Out, observer => AdversarialTrainingRun.Train(run, dataset, folder, observer), adversarial: true);
            if (!quiet)
            {
                var last = result.History.Epochs[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {RunFiles.ModelPath(folder)} ({preset}, z of {network.LatentSize}: {TrainingProgress.DescribeAdversarial(last).Trim()})"));
            }

            return 0;
        }
        finally
        {
            (dataset as IDisposable)?.Dispose();
        }
    }
}
