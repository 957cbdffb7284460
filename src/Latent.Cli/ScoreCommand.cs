using System.CommandLine;
using System.Globalization;
using System.Text;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent score RUN --data DATA --out scores.csv</c>: a per-item anomaly score.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path.", Required = true };
        var output = new Option<string>("--out") { Description = "Output CSV (index, label if any, score).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the posterior sample (VAEs).", DefaultValueFactory = _ => 0UL };
        var command = new Command("score", "Write a per-item anomaly score: −log p(x | z) of the reconstruction, or the negative ELBO for a VAE (larger is more anomalous).");
        command.Arguments.Add(run);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "score");
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            float[] scores = model.Score(dataset.Features, new Rng(parsed.GetValue(seed)));
            var text = new StringBuilder(dataset.HasLabels ? "index,label,score\n" : "index,score\n");
            for (int i = 0; i < scores.Length; i++)
            {
                text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',');
                if (dataset.Labels is { } labels)
                {
                    text.Append(labels[i].ToString(CultureInfo.InvariantCulture)).Append(',');
                }

                text.Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }

            AtomicFile.WriteAllBytes(parsed.GetValue(output)!, Encoding.UTF8.GetBytes(text.ToString()));
            return 0;
        });
        return command;
    }
}
