using System.CommandLine;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent traverse RUN --out traverse.png</c>: each latent over ±range around the prior mean.</summary>
internal static class TraverseCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var data = new Option<string?>("--data") { Description = "Data to order the rows by KL per dimension (variational models); without it, dimension order." };
        var steps = new Option<int>("--steps") { Description = "Images per row.", DefaultValueFactory = _ => 9 };
        var range = new Option<float>("--range") { Description = "Each latent runs over [−range, range].", DefaultValueFactory = _ => 3f };
        var dims = new Option<int>("--dims") { Description = "Rows drawn (0: every dimension).", DefaultValueFactory = _ => 0 };
        var command = new Command("traverse", "Decode codes that vary one latent at a time over ±range around the prior mean (one row per latent, by decreasing KL).");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { output, data, steps, range, dims })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var model = RunFiles.LoadModel(parsed.GetValue(run)!);
            Dataset? dataset = parsed.GetValue(data) is { } spec ? CliData.Load(spec, model.Inputs) : null;
            int n = parsed.GetValue(steps);
            float r = parsed.GetValue(range);
            if (n < 2 || !(r > 0))
            {
                throw new ArgumentException($"--steps must be at least 2 and --range positive (got {n} and {r}).");
            }

            var order = Order(model, dataset);
            int rows = parsed.GetValue(dims) is > 0 and var d ? Math.Min(d, order.Length) : order.Length;
            var images = Generation.Traverse(model, order[..rows], n, r);
            Png.Write(parsed.GetValue(output)!, ImageGrid.Compose(images.Span, rows * n, ImageShapes.For(model.Inputs, dataset), columns: n));
            return 0;
        });
        return command;
    }

    /// <summary>The dimensions by decreasing KL when a variational model and data are given, else 0, 1, 2, ….</summary>
    internal static int[] Order(Autoencoder model, Dataset? data) =>
        data is not null && model.Options.IsVariational
            ? PosteriorStatistics.Measure(model, data.Features).DimensionsByKl()
            : Enumerable.Range(0, model.Latent).ToArray();
}
