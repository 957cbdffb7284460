using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent finetune RUN --data DATA</c>: the run's encoder plus a softmax layer over the data's classes, trained
/// end to end on the labels of the training split; reports the held-out error and writes the classifier.
/// </summary>
internal static class FinetuneCommand
{
    /// <summary>The classifier's file name in the output folder.</summary>
    public const string ClassifierFileName = "classifier.safetensors";

    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file) of a trained autoencoder." };
        var data = new Option<string>("--data") { Description = "Labelled data set name or path (e.g. mnist-10k), scaled as for training.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };
        var lr = new Option<float>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 1e-3f };
        var validation = new Option<double>("--validation") { Description = "Fraction held out to measure the error on; with the same --seed it is the split latent train held out.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split, batch order, dropout and the softmax layer's initial weights (use the run's --seed).", DefaultValueFactory = _ => 0UL };
        var scratch = new Option<bool>("--from-scratch") { Description = "Start the encoder from random weights (same architecture): the baseline without pre-training." };
        var output = new Option<string?>("--out") { Description = "Folder to write classifier.safetensors and finetune.json to (default: RUN/finetune, or RUN/finetune-scratch with --from-scratch)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("finetune", "Fine-tune a trained autoencoder's encoder with a softmax layer on labelled data (end to end, cross-entropy) and report the held-out error.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, epochs, batch, lr, validation, seed, scratch, output, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string runPath = parsed.GetValue(run)!;
            var model = GanRuns.LoadAutoencoder(runPath, "finetune");
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var options = new FineTuningOptions
            {
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batch),
                LearningRate = parsed.GetValue(lr),
                ValidationFraction = parsed.GetValue(validation),
                Seed = parsed.GetValue(seed),
                FromScratch = parsed.GetValue(scratch),
            }.Validate();
            string runFolder = Directory.Exists(runPath) ? runPath : Path.GetDirectoryName(Path.GetFullPath(runPath))!;
            string folder = parsed.GetValue(output) ?? Path.Combine(runFolder, options.FromScratch ? "finetune-scratch" : "finetune");
            var result = StageProgress.Run(parsed.GetValue(quiet), "fine-tuning", progress => FineTuning.Run(model, dataset, options, progress));
            string modelPath = Path.Combine(folder, ClassifierFileName);
            string jsonPath = Path.Combine(folder, "finetune.json");
            var outputs = new OutputSet();
            outputs.Add(modelPath, path => result.Model.Save(path, new Dictionary<string, string>(StringComparer.Ordinal) { [RunFiles.DataMetadataKey] = dataset.Name }));
            outputs.Add(jsonPath, JsonSerializer.SerializeToUtf8Bytes(new
            {
                run = runPath,
                data = dataset.Name,
                fromScratch = options.FromScratch,
                trainItems = result.TrainItems,
                heldOutItems = result.HeldOutItems,
                heldOutError = result.HeldOutError,
                history = result.History,
            }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            outputs.Commit();
            Console.Out.Write(Table(result, options));
            Console.Out.WriteLine($"wrote {modelPath} and {jsonPath}");
            return 0;
        });
        return command;
    }

    internal static string Table(FineTuningResult result, FineTuningOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{(options.FromScratch ? "without pre-training" : "fine-tuned")}: {result.TrainItems} items trained on, {result.HeldOutItems} held out");
        text.AppendLine("  epoch  train loss  held-out error");
        foreach (var epoch in result.History)
        {
            text.AppendLine(c, $"  {epoch.Epoch,5}  {epoch.TrainLoss,10:F4}  {epoch.HeldOutError * 100,13:F2} %");
        }

        return text.ToString();
    }
}
