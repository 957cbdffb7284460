using System.CommandLine;
using Latent.Data;
using Latent.Evaluation;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent factor-response RUN --data shapes --by x,y --out response.csv</c>: the mean code of each latent for
/// every combination of values of the chosen generative factors, averaged over the others (the β-VAE paper's
/// figure 7 maps).
/// </summary>
internal static class FactorResponseCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "A data set with known generative factors (shapes).", Required = true };
        var by = new Option<string>("--by") { Description = "The factors, comma-separated (shapes: shape, scale, rotation, x, y), e.g. x,y for the position map.", Required = true };
        var output = new Option<string>("--out") { Description = "Output file, .csv or .npy: one row per combination (the first factor slowest), the factors' value indices, then the mean of each latent.", Required = true };
        var samples = new Option<int>("--samples") { Description = "Items averaged per combination, the other factors drawn at random.", DefaultValueFactory = _ => 8 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var command = new Command("factor-response", "Write the mean code of each latent as a function of chosen generative factors (data with known factors: shapes).");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, by, output, samples, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "factor-response");
            string spec = parsed.GetValue(data)!;
            var source = DatasetCatalog.OpenFactors(spec)
                ?? throw new ArgumentException($"--data '{spec}' has no known generative factors; factor-response needs one that has (shapes).");
            var names = parsed.GetValue(by)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var factors = names.Select(name => source.FactorNames.ToList().IndexOf(name) is >= 0 and var f
                ? f
                : throw new ArgumentException($"--by: '{name}' is not a factor of {source.Name}; its factors are {string.Join(", ", source.FactorNames)}.")).ToArray();
            if (parsed.GetValue(samples) < 1)
            {
                throw new ArgumentException($"--samples must be at least 1 (got {parsed.GetValue(samples)}).");
            }

            // Every combination of the chosen factors' values is encoded --samples times.
            long cells = factors.Aggregate(1L, (product, f) => product * source.FactorSizes[f]);
            OutputBudget.Check("--samples", cells * parsed.GetValue(samples), Math.Max(model.Inputs, model.Latent));
            var response = FactorResponse.Measure(model, source, factors, parsed.GetValue(samples), parsed.GetValue(seed));
            var table = Tensor.Zeros(response.Cells, factors.Length + response.Latent);
            for (int c = 0; c < response.Cells; c++)
            {
                int rest = c;
                for (int i = factors.Length - 1; i >= 0; i--)
                {
                    table[c, i] = rest % response.Sizes[i];
                    rest /= response.Sizes[i];
                }

                for (int j = 0; j < response.Latent; j++)
                {
                    table[c, factors.Length + j] = (float)response.Means[c, j];
                }
            }

            string path = parsed.GetValue(output)!;
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".npy":
                    Npy.Write(path, table);
                    break;
                case ".csv":
                    Csv.Write(path, table, null, [.. names, .. Enumerable.Range(0, response.Latent).Select(j => $"z{j}")]);
                    break;
                default:
                    throw new ArgumentException($"--out: '{path}' should end in .npy or .csv.");
            }

            Console.Out.WriteLine($"wrote {path} ({response.Cells} combinations of {string.Join(", ", names)}, {response.SamplesPerCell} items each)");
            return 0;
        });
        return command;
    }
}
