using System.CommandLine;
using Latent.Data;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent encode RUN --data DATA --out codes.npy|csv</c>: the mean code of every item.</summary>
internal static class EncodeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path.", Required = true };
        var output = new Option<string>("--out") { Description = "Output file: .npy or .csv.", Required = true };
        var command = new Command("encode", "Write the code of every item (the posterior mean for a VAE) as NPY or CSV.");
        command.Arguments.Add(run);
        command.Options.Add(data);
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            string path = parsed.GetValue(output)!;
            var codes = model.Encode(dataset.Features);
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".npy":
                    Npy.Write(path, codes);
                    break;
                case ".csv":
                    Csv.Write(path, codes, dataset.Labels, [.. Enumerable.Range(0, model.Latent).Select(i => $"z{i}")]);
                    break;
                default:
                    throw new ArgumentException($"--out: '{path}' should end in .npy or .csv.");
            }

            return 0;
        });
        return command;
    }
}
