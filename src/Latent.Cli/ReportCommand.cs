using System.CommandLine;
using Latent.Evaluation;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent report RUN --data DATA</c>: evaluates a run and writes RUN/report.html.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (written by 'latent train')." };
        var data = new Option<string>("--data") { Description = "Evaluation data set name or path.", Required = true };
        var samples = new Option<int>("--iw-samples") { Description = "Importance samples per item for log p(x) (0: skip).", DefaultValueFactory = _ => ImportanceSampling.DefaultSamples };
        var items = new Option<int>("--iw-items") { Description = "Items (the first ones) whose log p(x) is estimated.", DefaultValueFactory = _ => 1000 };
        var output = new Option<string?>("--out") { Description = "Report file (default: report.html in the run folder)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("report", "Evaluate a run and write one self-contained HTML report (options, curves, pictures, codes, metrics).");
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

            var model = RunFiles.LoadModel(folder);
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var history = RunFiles.LoadHistory(folder);
            var options = new EvaluationOptions { ImportanceSamples = parsed.GetValue(samples), ImportanceItems = parsed.GetValue(items), Seed = parsed.GetValue(seed) };
            if (options.ImportanceSamples < 0 || options.ImportanceItems < 0)
            {
                throw new ArgumentException("--iw-samples and --iw-items must be 0 or more.");
            }

            var evaluation = StageProgress.Run(parsed.GetValue(quiet), "evaluating", progress => Evaluator.Evaluate(model, dataset, options, progress));
            string path = parsed.GetValue(output) ?? Path.Combine(folder, "report.html");
            var content = RunReport.Build($"Latent report: {Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar))}", null,
                [new ReportSection(model.Options.Preset, model, history, dataset, evaluation)], options.Seed);
            HtmlReport.Write(content, path);
            Console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }
}
