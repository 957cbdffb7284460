using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Evaluation;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent demo</c>: trains a VAE with a 2-D latent and one with a 20-D latent on the bundled mnist-10k,
/// evaluates both on a held-out tenth, and writes one HTML report with both.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the two runs and report.html.", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var data = new Option<string>("--data") { Description = "Data set (images).", DefaultValueFactory = _ => "mnist-10k" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per model.", DefaultValueFactory = _ => 30 };
        var samples = new Option<int>("--iw-samples") { Description = "Importance samples per item for log p(x) (the demo uses fewer than the 5,000 of 'latent eval' to stay fast).", DefaultValueFactory = _ => 500 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("demo", "Train a 2-D and a 20-D VAE on mnist-10k, evaluate both, and write runs/demo/report.html.");
        foreach (var option in new Option[] { output, data, epochs, samples, seed, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string folder = parsed.GetValue(output)!;
            int epochCount = parsed.GetValue(epochs), iw = parsed.GetValue(samples);
            if (epochCount < 1 || iw < 0)
            {
                throw new ArgumentException($"--epochs must be at least 1 and --iw-samples 0 or more (got {epochCount} and {iw}).");
            }

            string path = Run(folder, parsed.GetValue(data)!, epochCount, iw, parsed.GetValue(seed), parsed.GetValue(quiet));
            Console.Out.WriteLine($"report: {Path.GetFullPath(path)}");
            return 0;
        });
        return command;
    }

    /// <summary>Runs the demo into <paramref name="folder"/> and returns the report's path.</summary>
    internal static string Run(string folder, string dataSpec, int epochs, int importanceSamples, ulong seed, bool quiet)
    {
        var clock = Stopwatch.StartNew();
        var all = CliData.Load(dataSpec);
        if (all.ImageShape is null || all.Labels is null)
        {
            throw new ArgumentException($"Data '{dataSpec}' must be labelled images for the demo.");
        }

        (var train, var test) = all.Split(0.1, seed);
        test = test.Rename($"{all.Name} (held-out {test.Count:N0})");
        var sections = new List<ReportSection>();
        foreach (int latent in new[] { 2, 20 })
        {
            string name = $"vae-{latent}d";
            string runFolder = Path.Combine(folder, name);
            if (!quiet)
            {
                Console.Out.WriteLine($"training {name}: VAE 784-400-{latent}, Bernoulli likelihood, {epochs} epochs on {train.Count:N0} images");
            }

            var options = Presets.Defaults("vae", all.Dimension) with { Latent = latent, Hidden = [400], Seed = seed };
            var trainerOptions = new TrainerOptions
            {
                Epochs = epochs,
                BatchSize = 128,
                LearningRate = 1e-3f,
                CheckpointEvery = 0,
                Seed = seed,
            };
            var result = TrainCommand.Train(options, trainerOptions, train, 0.1, runFolder, resume: false, quiet);
            var evaluationOptions = new EvaluationOptions { ImportanceSamples = importanceSamples, ImportanceItems = test.Count, Seed = seed };
            var evaluation = StageProgress.Run(quiet, $"evaluating {name}", progress => Evaluator.Evaluate(result.Model, test, evaluationOptions, progress));
            AtomicFile.WriteAllBytes(Path.Combine(runFolder, "eval.json"), Encoding.UTF8.GetBytes(evaluation.ToJson()));
            if (!quiet)
            {
                Console.Out.Write(EvalCommand.Table(evaluation));
            }

            sections.Add(new ReportSection($"VAE, {latent}-D latent", result.Model, result.History, test, evaluation,
            [
                ("data", $"{all.Name}: {train.Count:N0} for training (a tenth of them for validation), {test.Count:N0} held out"),
                ("epochs", epochs.ToString(CultureInfo.InvariantCulture)),
                ("batch", "128"),
                ("optimiser", "Adam, learning rate 0.001"),
                ("run folder", runFolder),
            ]));
        }

        string note = string.Create(CultureInfo.InvariantCulture,
            $"latent demo: two VAEs on {all.Name}, evaluated on {test.Count:N0} held-out images. log p(x) is the importance-sampled (IWAE) estimate with k = {importanceSamples:N0} samples per item, fewer than the 5,000 'latent eval' uses by default, so that the demo stays fast; it is a slightly looser lower bound. Made in {clock.Elapsed.TotalSeconds:F0} s.");
        string path = Path.Combine(folder, "report.html");
        HtmlReport.Write(RunReport.Build("Latent demo: VAEs on MNIST", note, sections, seed), path);
        return path;
    }
}
