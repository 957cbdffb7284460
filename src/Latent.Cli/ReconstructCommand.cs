using System.CommandLine;
using Latent.Data;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent reconstruct RUN --data DATA --out recon.png</c>: originals above their reconstructions.</summary>
internal static class ReconstructCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path (of images).", Required = true };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var count = new Option<int>("--count") { Description = "Items shown.", DefaultValueFactory = _ => 16 };
        var command = new Command("reconstruct", "Draw the first items of the data (top row) above their reconstructions (bottom row) as a PNG grid.");
        command.Arguments.Add(run);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(count);
        command.SetAction(parsed =>
        {
            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var shape = dataset.ImageShape ?? throw new ArgumentException($"Data '{dataset.Name}' are not images; reconstruct draws images.");
            int n = Math.Min(parsed.GetValue(count), dataset.Count);
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, "--count");
            var originals = dataset.Take(n).Features;
            var reconstructions = model.Reconstruct(originals);
            var both = new float[2 * n * model.Inputs];
            originals.Span.CopyTo(both);
            reconstructions.Span.CopyTo(both.AsSpan(n * model.Inputs));
            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(both, 2 * n, shape, columns: n));
            return 0;
        });
        return command;
    }
}
