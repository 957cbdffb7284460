using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent manifold RUN --out manifold.png</c>: the decoded 2-D latent grid through Φ⁻¹.</summary>
internal static class ManifoldCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file) of a model with a 2-D latent." };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var size = new Option<int>("--size") { Description = "Grid side.", DefaultValueFactory = _ => 20 };
        var command = new Command("manifold", "Decode a size×size grid of 2-D codes at evenly spaced Gaussian quantiles (Kingma and Welling's figure).");
        command.Arguments.Add(run);
        command.Options.Add(output);
        command.Options.Add(size);
        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "manifold");
            int n = parsed.GetValue(size);
            if (n < 2)
            {
                throw new ArgumentException($"--size: {n} is below 2.");
            }

            OutputBudget.Check("--size", (long)n * n, model.Inputs);
            var images = Generation.Manifold(model, n);
            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(images.Span, n * n, ImageShapes.For(model.Inputs), columns: n));
            return 0;
        });
        return command;
    }
}
