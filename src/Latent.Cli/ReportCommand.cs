using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Evaluation;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent report RUN --data DATA</c>: evaluates an autoencoder run and writes RUN/report.html; a GAN run's report
/// (<c>latent report RUN</c>) shows its eval.json when there is one, or evaluates it on <c>--data</c> when given.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (written by 'latent train')." };
        var data = new Option<string?>("--data") { Description = "Evaluation data set name or path (required for autoencoders; a GAN run without it shows its eval.json, if any)." };
        var samples = new Option<int>("--iw-samples") { Description = "Importance samples per item for log p(x) (0: skip).", DefaultValueFactory = _ => ImportanceSampling.DefaultSamples };
        var items = new Option<int>("--iw-items") { Description = "Items (the first ones) whose log p(x) is estimated.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string?>("--out") { Description = "Report file (default: report.html in the run folder)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("report", "Evaluate a run and write one self-contained HTML report (options, curves, pictures, codes, metrics). A GAN run (dcgan, infogan): its training metrics, samples, interpolations between generated images, an InfoGAN's code traversals and its eval numbers.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, samples, items, output, seed, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string folder = parsed.GetValue(run)!;
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{folder}: no such run folder (train one with 'latent train').");
            }

            string title = $"Latent report: {Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar))}";
            var options = new EvaluationOptions { ImportanceSamples = parsed.GetValue(samples), ImportanceItems = parsed.GetValue(items), Seed = parsed.GetValue(seed) };
            if (options.ImportanceSamples < 0 || options.ImportanceItems < 0)
            {
                throw new ArgumentException("--iw-samples and --iw-items must be 0 or more.");
            }

            string modelPath = RunFiles.ModelPath(folder);
            string? spec = parsed.GetValue(data);
            ReportContent content;
            if (File.Exists(modelPath) && AdversarialModelFile.Holds(modelPath))
            {
                content = Adversarial(folder, modelPath, title, spec, options, parsed.GetValue(quiet));
            }
            else
            {
                var model = RunFiles.LoadModel(folder);
                if (spec is null)
                {
                    throw new ArgumentException($"--data is required for an autoencoder's report ({modelPath} is a '{model.Options.Preset}' model): name the evaluation data, e.g. --data mnist-10k:test.");
                }

                var dataset = CliData.Load(spec, model.Inputs);
                var history = RunFiles.LoadHistory(folder);
                var evaluation = StageProgress.Run(parsed.GetValue(quiet), "evaluating", progress => Evaluator.Evaluate(model, dataset, options, progress));
                content = RunReport.Build(title, null, [new ReportSection(model.Options.Preset, model, history, dataset, evaluation)], options.Seed);
            }

            string path = parsed.GetValue(output) ?? Path.Combine(folder, "report.html");
            HtmlReport.Write(content, path);
            Console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    // A GAN's report: evaluated on DATA when given, else the numbers of the run's eval.json when it has one.
    private static ReportContent Adversarial(string folder, string modelPath, string title, string? spec, EvaluationOptions options, bool quiet)
    {
        var network = AdversarialModelFile.Load(modelPath);
        IReadOnlyList<(string Name, string Value)>? metrics = null;
        string heading = "Metrics";
        string? note = null;
        if (spec is not null)
        {
            var dataset = CliData.Load(spec, network.Inputs);
            var evaluation = StageProgress.Run(quiet, "evaluating", progress => Evaluator.Evaluate(network, dataset, options with { ImportanceSamples = 0 }, progress));
            (metrics, heading) = (evaluation.Rows(), $"Metrics on {evaluation.Data}");
        }
        else if (File.Exists(Path.Combine(folder, "eval.json")))
        {
            string eval = Path.Combine(folder, "eval.json");
            metrics = EvalJsonRows(eval);
            heading = "Metrics (eval.json)";
        }
        else
        {
            note = $"No metrics: run 'latent eval {folder} --data DATA' (it writes eval.json, which this report shows), or give --data.";
        }

        var section = new AdversarialReportSection(network.Options.Preset, network, RunFiles.LoadHistory(folder), metrics, heading);
        return new ReportContent(title, note, null, [RunReport.Part(section, options.Seed)]);
    }

    // The rows of a run's eval.json, named as 'latent eval' printed them.
    internal static IReadOnlyList<(string Name, string Value)> EvalJsonRows(string path)
    {
        try
        {
            return ModelEvaluation.RowsOfJson(File.ReadAllText(path));
        }
        catch (FormatException exception)
        {
            throw new DataFormatException(path, exception.Message, exception);
        }
    }
}
