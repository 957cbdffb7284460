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
        var seed = new Option<ulong>("--seed") { Description = "Seed of the two prior draws (--between-samples), or of a GAN's z draws.", DefaultValueFactory = _ => 0UL };
        var points = new Option<int>("--points") { Description = "GANs: z draws the path visits in turn, one row from each to the next (default 2: one row).", DefaultValueFactory = _ => 2 };
        var command = new Command("interpolate", "Decode codes on the path between two items' codes or two prior draws (linear and/or spherical) as a PNG strip; print the codes' norms along the path. On a GAN run: generated images along the straight path between seeded z draws.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, output, from, to, steps, mode, betweenSamples, seed, points })
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

            if (GanRuns.TryLoad(parsed.GetValue(run)!) is { } network)
            {
                foreach (var option in new Option[] { data, from, to })
                {
                    if (parsed.GetResult(option) is { Implicit: false })
                    {
                        throw new ArgumentException($"{option.Name} picks a data item to encode; {parsed.GetValue(run)} is a {network.Options.Preset} GAN, which has no encoder: it interpolates between z draws chosen by --seed.");
                    }
                }

                if (parsed.GetResult(mode) is { Implicit: false } && parsed.GetValue(mode) != "linear")
                {
                    throw new ArgumentException($"--mode {parsed.GetValue(mode)}: a GAN's z is uniform on the cube [−1, 1]ⁿ, not a Gaussian whose norm a spherical path keeps; its paths are linear.");
                }

                return Adversarial(network, n, parsed.GetValue(points), parsed.GetValue(seed), parsed.GetValue(output)!);
            }

            if (parsed.GetResult(points) is { Implicit: false })
            {
                throw new ArgumentException("--points: the path through several z draws is for GAN runs; an autoencoder's path joins two ends (--from, --to or --between-samples).");
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

            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "interpolate");
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

    /// <summary>
    /// A GAN's path: <paramref name="points"/> z draws from <paramref name="seed"/>, one row of <paramref name="steps"/>
    /// generated images from each to the next, linear in all of z.
    /// </summary>
    private static int Adversarial(AdversarialNetwork network, int steps, int points, ulong seed, string path)
    {
        if (points < 2)
        {
            throw new ArgumentException($"--points: {points} is fewer than the 2 ends of a path.");
        }

        OutputBudget.Check("--steps × (--points − 1)", (long)steps * (points - 1), network.Inputs);
        var draws = network.DrawLatent(points, seed);
        var images = new float[(points - 1) * steps * network.Inputs];
        for (int r = 0; r < points - 1; r++)
        {
            var codes = Generation.InterpolateCodes(draws.Row(r), draws.Row(r + 1), steps, spherical: false);
            network.Generate(codes).Span.CopyTo(images.AsSpan(r * steps * network.Inputs));
        }

        Console.WriteLine($"linear in z ({SampleCommand.Describe(network.Options)}) between {points} draws seeded by --seed"
            + (network.Options.CategoricalCodes.Count > 0 ? "; the categorical codes' one-hot blocks are blended linearly too, so a row's middle mixes two categories" : string.Empty));
        Png.Write(path, ImageGrid.Compose(images, (points - 1) * steps, network.Options.InputShape ?? ImageShapes.For(network.Inputs), columns: steps));
        Console.WriteLine($"wrote {points - 1}×{steps} images to {path}");
        return 0;
    }
}
