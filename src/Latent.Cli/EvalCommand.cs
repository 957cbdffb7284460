using System.CommandLine;
using System.Text;
using Latent.Evaluation;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent eval RUN --data DATA</c>: every applicable measurement, as a table and as JSON.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path (e.g. mnist-10k:test).", Required = true };
        var samples = new Option<int>("--iw-samples") { Description = "Importance samples per item for log p(x) (0: skip).", DefaultValueFactory = _ => ImportanceSampling.DefaultSamples };
        var items = new Option<int>("--iw-items") { Description = "Items (the first ones) whose log p(x) is estimated.", DefaultValueFactory = _ => 1000 };
        var clusters = new Option<int>("--clusters") { Description = "k of k-means on the codes (0: the number of classes).", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "JSON output (default: eval.json in the run folder, or next to the model file)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("eval", "Measure a trained model (reconstruction, ELBO, importance-sampled log p(x), active units, linear probe, k-means NMI/ARI, MMD); print a table and write JSON.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, samples, items, clusters, json, seed, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string runPath = parsed.GetValue(run)!;
            var model = RunFiles.LoadModel(runPath);
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var options = new EvaluationOptions
            {
                ImportanceSamples = parsed.GetValue(samples),
                ImportanceItems = parsed.GetValue(items),
                Clusters = parsed.GetValue(clusters),
                Seed = parsed.GetValue(seed),
            };
            if (options.ImportanceSamples < 0 || options.ImportanceItems < 0 || options.Clusters < 0)
            {
                throw new ArgumentException("--iw-samples, --iw-items and --clusters must be 0 or more.");
            }

            var result = StageProgress.Run(parsed.GetValue(quiet), "evaluating", progress => Evaluator.Evaluate(model, dataset, options, progress));
            string path = parsed.GetValue(json) ?? (Directory.Exists(runPath)
                ? Path.Combine(runPath, "eval.json")
                : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runPath))!, "eval.json"));
            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(result.ToJson()));
            Console.Out.Write(Table(result));
            Console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    /// <summary>The measurements as an aligned two-column text table.</summary>
    internal static string Table(ModelEvaluation result)
    {
        var rows = result.Rows();
        int width = rows.Max(r => r.Name.Length);
        var text = new StringBuilder();
        text.AppendLine($"{result.Data}");
        foreach ((string name, string value) in rows)
        {
            text.Append("  ").Append(name.PadRight(width)).Append("  ").AppendLine(value);
        }

        return text.ToString();
    }
}
