using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent interpolate RUN --data DATA --out path.png</c>: a path in latent space between two items.</summary>
internal static class InterpolateCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path (of images).", Required = true };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var from = new Option<int>("--from") { Description = "Index of the first item.", DefaultValueFactory = _ => 0 };
        var to = new Option<int>("--to") { Description = "Index of the second item.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Images along the path, ends included.", DefaultValueFactory = _ => 10 };
        var mode = new Option<string>("--mode") { Description = "linear, spherical, or both (linear row above spherical row).", DefaultValueFactory = _ => "both" };
        var command = new Command("interpolate", "Decode codes on the path between two items' codes (linear and/or spherical) as a PNG strip.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, output, from, to, steps, mode })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            int a = parsed.GetValue(from), b = parsed.GetValue(to), n = parsed.GetValue(steps);
            foreach ((string name, int index) in new[] { ("--from", a), ("--to", b) })
            {
                if (index < 0 || index >= dataset.Count)
                {
                    throw new ArgumentException($"{name}: item {index} is outside the data's 0 to {dataset.Count - 1}.");
                }
            }

            if (n < 2)
            {
                throw new ArgumentException($"--steps: {n} is fewer than the 2 ends.");
            }

            string chosen = parsed.GetValue(mode)!;
            bool[] rows = chosen switch
            {
                "linear" => [false],
                "spherical" => [true],
                "both" => [false, true],
                _ => throw new ArgumentException($"--mode: '{chosen}' is not one of linear, spherical, both."),
            };
            var images = new float[rows.Length * n * model.Inputs];
            for (int r = 0; r < rows.Length; r++)
            {
                var path = Generation.Interpolate(model, dataset.Row(a), dataset.Row(b), n, rows[r]);
                path.Span.CopyTo(images.AsSpan(r * n * model.Inputs));
            }

            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(images, rows.Length * n, ImageShapes.For(model.Inputs, dataset), columns: n));
            return 0;
        });
        return command;
    }
}
