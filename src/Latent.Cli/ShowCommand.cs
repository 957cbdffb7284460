using System.CommandLine;
using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary><c>latent show DATA --out grid.png</c>: a grid of images from a data set.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var data = new Argument<string>("DATA") { Description = "A catalog name (see latent datasets) or a path: IDX, NPY, CSV or a folder of PNGs." };
        var output = new Option<string>("--out") { Description = "The PNG file to write.", Required = true };
        var count = new Option<int>("--count") { Description = "How many images.", DefaultValueFactory = _ => 64 };
        var columns = new Option<int>("--columns") { Description = "Images per row (default: a square grid)." };
        var seed = new Option<ulong?>("--seed") { Description = "Show a seeded random sample instead of the first images." };
        var command = new Command("show", "Write a grid of images from a data set to a PNG file.");
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.Options.Add(count);
        command.Options.Add(columns);
        command.Options.Add(seed);
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(output)!;
            int shown = Run(parseResult.GetValue(data)!, path, parseResult.GetValue(count), parseResult.GetValue(columns), parseResult.GetValue(seed));
            Console.WriteLine($"wrote {shown} images to {path}");
            return 0;
        });
        return command;
    }

    public static int Run(string data, string output, int count, int columns, ulong? seed, DatasetCatalog? catalog = null)
    {
        if (count <= 0)
        {
            throw new ArgumentException($"--count must be positive, not {count}.");
        }

        if (columns < 0)
        {
            throw new ArgumentException($"--columns must be positive, not {columns}.");
        }

        var source = (catalog ?? new DatasetCatalog()).Open(data);
        try
        {
            if (source.ImageShape is null)
            {
                throw new ArgumentException($"{source.Name} holds vectors of {source.Dimension}, not images; there is nothing to draw.");
            }

            int shown = Math.Min(count, source.Count);
            int[] indices = seed is ulong s
                ? new Rng(s).Permutation(source.Count)[..shown]
                : Enumerable.Range(0, shown).ToArray();
            ImageGrid.Write(output, source, indices, columns);
            return shown;
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }
}
