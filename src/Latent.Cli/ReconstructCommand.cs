using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent reconstruct RUN --data DATA --out recon.png [--noise σ]</c>: originals above their reconstructions;
/// with <c>--noise</c>, the clean items, their corrupted copies and the model's outputs for these, and the
/// error of each against the clean items.
/// </summary>
internal static class ReconstructCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path (of images).", Required = true };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var count = new Option<int>("--count") { Description = "Items shown.", DefaultValueFactory = _ => 16 };
        var noise = new Option<float?>("--noise") { Description = "Corrupt the inputs first (Gaussian σ, or the masking probability with --noise-kind mask), draw clean / noisy / output rows and print the squared error per item of the noisy inputs and of the outputs against the clean items, over the whole data set." };
        var noiseKind = new Option<string>("--noise-kind") { Description = "The corruption of --noise: gaussian (x + σε) or mask.", DefaultValueFactory = _ => "gaussian" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0UL };
        var command = new Command("reconstruct", "Draw the first items of the data (top row) above their reconstructions (bottom row) as a PNG grid; with --noise, how well the model removes noise.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, output, count, noise, noiseKind, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "reconstruct");
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var shape = dataset.ImageShape ?? throw new ArgumentException($"Data '{dataset.Name}' are not images; reconstruct draws images.");
            int n = Math.Min(parsed.GetValue(count), dataset.Count);
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, "--count");
            int d = model.Inputs;
            OutputBudget.Check("--count", 3L * n, d);
            if (parsed.GetValue(noise) is not { } level)
            {
                var originals = dataset.Take(n).Features;
                var reconstructions = model.Reconstruct(originals);
                var both = new float[2 * n * d];
                originals.Span.CopyTo(both);
                reconstructions.Span.CopyTo(both.AsSpan(n * d));
                Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(both, 2 * n, shape, columns: n));
                return 0;
            }

            var kind = parsed.GetValue(noiseKind) switch
            {
                "gaussian" => NoiseKind.Gaussian,
                "mask" => NoiseKind.Mask,
                var other => throw new ArgumentException($"--noise-kind: '{other}' is not gaussian or mask."),
            };
            if (!(level >= 0) || (kind == NoiseKind.Mask && level > 1))
            {
                throw new ArgumentException($"--noise: {level} is not a valid {(kind == NoiseKind.Mask ? "masking probability in [0, 1]" : "standard deviation ≥ 0")}.");
            }

            var result = DenoisingError.Measure(model, dataset.Features, kind, level, new Rng(parsed.GetValue(seed)));
            var rows = new float[3 * n * d];
            dataset.Features.Span[..(n * d)].CopyTo(rows);
            result.Noisy.Span[..(n * d)].CopyTo(rows.AsSpan(n * d));
            result.Outputs.Span[..(n * d)].CopyTo(rows.AsSpan(2 * n * d));
            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(rows, 3 * n, shape, columns: n));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"squared error per item against the clean items ({dataset.Count:N0} items, {parsed.GetValue(noiseKind)} noise {level:G3}): noisy inputs {result.MeanNoisyError:F3}, outputs {result.MeanOutputError:F3}"));
            return 0;
        });
        return command;
    }
}
