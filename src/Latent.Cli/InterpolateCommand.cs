using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent interpolate RUN --data DATA --out path.png</c>: a path in latent space between two items' codes;
/// <c>latent interpolate RUN --between-samples --seed S --out path.png</c>: between two prior draws z ~ N(0, I).
/// </summary>
internal static class InterpolateCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string?>("--data") { Description = "Data set name or path (of images); needed unless --between-samples." };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var from = new Option<int>("--from") { Description = "Index of the first item.", DefaultValueFactory = _ => 0 };
        var to = new Option<int>("--to") { Description = "Index of the second item.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Images along the path, ends included.", DefaultValueFactory = _ => 10 };
        var mode = new Option<string>("--mode") { Description = "linear, spherical, or both (linear row above spherical row).", DefaultValueFactory = _ => "both" };
        var betweenSamples = new Option<bool>("--between-samples") { Description = "Interpolate between two draws z ~ N(0, I) (generated images) instead of two items' codes; not with --data, --from, --to." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the two prior draws (--between-samples).", DefaultValueFactory = _ => 0UL };
        var command = new Command("interpolate", "Decode codes on the path between two items' codes or two prior draws (linear and/or spherical) as a PNG strip; print the codes' norms along the path.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, output, from, to, steps, mode, betweenSamples, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            int n = parsed.GetValue(steps);
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
            bool generated = parsed.GetValue(betweenSamples);
            string? dataName = parsed.GetValue(data);
            if (generated)
            {
                foreach ((string name, Option option) in new (string, Option)[] { ("--data", data), ("--from", from), ("--to", to) })
                {
                    if (parsed.GetResult(option) is { Implicit: false })
                    {
                        throw new ArgumentException($"{name} picks a data item; --between-samples interpolates between two prior draws chosen by --seed instead.");
                    }
                }
            }
            else
            {
                if (dataName is null)
                {
                    throw new ArgumentException("--data is needed to pick the two items (or give --between-samples to interpolate between two prior draws).");
                }

                if (parsed.GetResult(seed) is { Implicit: false })
                {
                    throw new ArgumentException("--seed chooses the prior draws of --between-samples; between data items there is nothing random.");
                }
            }

            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            OutputBudget.Check(rows.Length > 1 ? "--steps (× 2 for --mode both)" : "--steps", (long)rows.Length * n, model.Inputs);
            Tensor ends;
            ImageShape shape;
            if (generated)
            {
                ends = Generation.PriorPair(model.Latent, new Rng(parsed.GetValue(seed)));
                shape = model.Options.InputShape ?? ImageShapes.For(model.Inputs);
            }
            else
            {
                var dataset = CliData.Load(dataName!, model.Inputs);
                int a = parsed.GetValue(from), b = parsed.GetValue(to);
                foreach ((string name, int index) in new[] { ("--from", a), ("--to", b) })
                {
                    if (index < 0 || index >= dataset.Count)
                    {
                        throw new ArgumentException($"{name}: item {index} is outside the data's 0 to {dataset.Count - 1}.");
                    }
                }

                ends = Generation.EncodePair(model, dataset.Row(a), dataset.Row(b));
                shape = ImageShapes.For(model.Inputs, dataset);
            }

            var images = new float[rows.Length * n * model.Inputs];
            for (int r = 0; r < rows.Length; r++)
            {
                var codes = Generation.InterpolateCodes(ends.Row(0), ends.Row(1), n, rows[r]);
                model.Decode(codes).Span.CopyTo(images.AsSpan(r * n * model.Inputs));
                var norms = Generation.CodeNorms(codes);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(rows[r] ? "spherical" : "linear")}: ‖z‖ along the path {string.Join(" ", norms.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))} (mean {norms.Average():F2}, min {norms.Min():F2})"));
            }

            string path = parsed.GetValue(output)!;
            Png.Write(path, ImageGrid.Compose(images, rows.Length * n, shape, columns: n));
            Console.WriteLine($"wrote {rows.Length}×{n} images to {path}");
            return 0;
        });
        return command;
    }
}
