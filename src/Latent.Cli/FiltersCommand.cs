using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent filters RUN --out filters.png</c>: the decoder's filters of a model with a linear decoder, as an image grid.</summary>
internal static class FiltersCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file) of a model whose decoder is one linear map (ksparse-ae, linear-ae, --decoder none)." };
        var output = new Option<string>("--out") { Description = "PNG file to write.", Required = true };
        var count = new Option<int>("--count") { Description = "Filters shown (the first ones).", DefaultValueFactory = _ => 100 };
        var columns = new Option<int>("--columns") { Description = "Grid columns (0: square).", DefaultValueFactory = _ => 0 };
        var command = new Command("filters", "Draw the decoder's filters (what each code unit adds to the reconstruction), each scaled to its own range, as an image grid.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { output, count, columns })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "filters");
            var shape = model.Options.InputShape ?? ImageShapes.For(model.Inputs);
            int n = Math.Min(parsed.GetValue(count), model.Latent);
            if (n < 1)
            {
                throw new ArgumentException($"--count: {parsed.GetValue(count)} is not a positive number of filters.");
            }

            OutputBudget.Check("--count", n, model.Inputs);
            OutputBudget.Check("--columns", parsed.GetValue(columns), model.Inputs);
            using var images = DecoderFilters.Images(model, n);
            string path = parsed.GetValue(output)!;
            AtomicFile.WriteAllBytes(path, Png.Encode(ImageGrid.Compose(images.Span, n, shape, parsed.GetValue(columns))));
            Console.Out.WriteLine($"wrote {n} filters to {path}");
            return 0;
        });
        return command;
    }
}
