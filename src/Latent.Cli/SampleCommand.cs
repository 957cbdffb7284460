using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent sample RUN --out samples.png</c>: decoded draws from the prior as a PNG grid.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var count = new Option<int>("--count") { Description = "Samples drawn.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var command = new Command("sample", "Decode draws z ~ N(0, I) and write them as a PNG grid.");
        command.Arguments.Add(run);
        command.Options.Add(output);
        command.Options.Add(count);
        command.Options.Add(seed);
        command.SetAction(parsed =>
        {
            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            int n = parsed.GetValue(count);
            if (n < 1)
            {
                throw new ArgumentException($"--count: {n} is not a positive number of samples.");
            }

            var samples = Generation.PriorSamples(model, n, new Rng(parsed.GetValue(seed)));
            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(samples.Span, n, ImageShapes.For(model.Inputs)));
            return 0;
        });
        return command;
    }
}
