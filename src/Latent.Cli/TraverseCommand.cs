using System.CommandLine;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// <c>latent traverse RUN --out traverse.png [--data DATA [--from ITEM]] [--order kl|index]</c>: each latent over
/// ±range around the prior mean, or around the inferred code of data item ITEM; rows by decreasing KL.
/// </summary>
internal static class TraverseCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var output = new Option<string>("--out") { Description = "Output PNG.", Required = true };
        var data = new Option<string?>("--data") { Description = "Data whose KL per dimension orders the rows (variational models), and whose item --from is the traversal's origin." };
        var from = new Option<int?>("--from") { Description = "Traverse around the inferred code (the posterior mean) of item ITEM of --data (0-based), the other latents fixed at it, as the beta-VAE paper's figure 7; without it, around the prior mean 0." };
        var order = new Option<string?>("--order") { Description = "Row order: kl (by decreasing mean KL over --data, the default for a variational model given --data) or index (0, 1, 2, …; the default otherwise)." };
        var steps = new Option<int>("--steps") { Description = "Images per row.", DefaultValueFactory = _ => 9 };
        var range = new Option<float>("--range") { Description = "The traversed latent runs over [−range, range] (default 3; for an InfoGAN's codes 1, their prior's support, and at most 2).", DefaultValueFactory = _ => 3f };
        var seed = new Option<ulong>("--seed") { Description = "InfoGAN runs: the seed of the z whose other values (noise and codes) stay fixed.", DefaultValueFactory = _ => 0UL };
        var dims = new Option<int>("--dims") { Description = "Rows drawn, the first in the order (0: every dimension).", DefaultValueFactory = _ => 0 };
        var command = new Command("traverse", "Decode codes that vary one latent at a time over ±range (one row per latent, by decreasing KL when --data is given), the others fixed at the prior mean or at the inferred code of --from ITEM. On an InfoGAN run: one row per continuous code over [−1, 1] and one per categorical code (a column per category), the rest of z fixed at a seeded draw.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { output, data, from, order, steps, range, dims, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            if (GanRuns.TryLoad(parsed.GetValue(run)!) is { } network)
            {
                foreach (var option in new Option[] { data, from, order })
                {
                    if (parsed.GetResult(option) is { Implicit: false })
                    {
                        throw new ArgumentException($"{option.Name}: {parsed.GetValue(run)} is a {network.Options.Preset} GAN, which has no encoder to place data items in z; its traversal starts from a z drawn with --seed.");
                    }
                }

                float codeRange = parsed.GetResult(range) is { Implicit: false } ? parsed.GetValue(range) : 1f;
                return AdversarialTraversal.Write(network, parsed.GetValue(run)!, parsed.GetValue(steps), codeRange, parsed.GetValue(dims), parsed.GetValue(seed), parsed.GetValue(output)!);
            }

            if (parsed.GetResult(seed) is { Implicit: false })
            {
                throw new ArgumentException("--seed: an autoencoder's traversal starts from the prior mean or from --from ITEM; nothing is drawn.");
            }

            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "traverse");
            Dataset? dataset = parsed.GetValue(data) is { } spec ? CliData.Load(spec, model.Inputs) : null;
            int n = parsed.GetValue(steps);
            float r = parsed.GetValue(range);
            if (n < 2 || !(r > 0))
            {
                throw new ArgumentException($"--steps must be at least 2 and --range positive (got {n} and {r}).");
            }

            // Every latent is a row unless --dims asks for fewer.
            OutputBudget.Check("--steps × --dims", (long)n * (parsed.GetValue(dims) is > 0 and var asked ? Math.Min(asked, model.Latent) : model.Latent), model.Inputs);
            var rowOrder = Order(model, dataset, parsed.GetValue(order));
            float[] origin = new float[model.Latent];
            if (parsed.GetValue(from) is int item)
            {
                if (dataset is null)
                {
                    throw new ArgumentException("--from ITEM needs --data: the item is taken from that data set.");
                }

                if (item < 0 || item >= dataset.Count)
                {
                    throw new ArgumentException($"--from {item} is not an item of '{dataset.Name}' (0 to {dataset.Count - 1}).");
                }

                origin = model.Encode(dataset.Subset([item])).Span.ToArray();
            }

            int rows = parsed.GetValue(dims) is > 0 and var d ? Math.Min(d, rowOrder.Length) : rowOrder.Length;
            var images = Generation.Traverse(model, rowOrder[..rows], origin, n, r);
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

    /// <summary>The rows' order as <c>--order</c> asks: kl (needs a variational model and data), index, or (null) kl where possible.</summary>
    internal static int[] Order(Autoencoder model, Dataset? data, string? order)
    {
        switch (order)
        {
            case null:
                return Order(model, data);
            case "index":
                return Enumerable.Range(0, model.Latent).ToArray();
            case "kl":
                if (!model.Options.IsVariational)
                {
                    throw new ArgumentException($"--order kl needs a variational model (its KL per latent); this one is '{model.Options.Preset}'. Use --order index.");
                }

                if (data is null)
                {
                    throw new ArgumentException("--order kl needs --data: the KL per latent is averaged over its items.");
                }

                return Order(model, data);
            default:
                throw new ArgumentException($"--order {order} is not an order; use kl or index.");
        }
    }
}
