using System.CommandLine;
using Latent.Data;
using Latent.Gallery;

namespace Latent.Cli;

/// <summary>
/// <c>latent gallery</c>: reruns the lecture notes' experiments and writes every figure and table, with the
/// published numbers beside the measured ones, as one self-contained page.
/// </summary>
internal static class GalleryCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder: index.html, results.json, a PNG and an SVG per figure; trained parts are kept under parts/ and reused.", DefaultValueFactory = _ => Path.Combine("runs", "gallery") };
        var quick = new Option<bool>("--quick") { Description = "Smaller experiments: the whole gallery in under 10 minutes on 2 cores (the full run takes under 90)." };
        var only = new Option<string?>("--only") { Description = "Comma-separated figure ids to run (see --list)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "A folder searched first for data sets (as $LATENT_DATA), e.g. one holding full MNIST." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var rerun = new Option<bool>("--rerun") { Description = "Run every chosen figure again even if an earlier run in --out finished it (trained parts are still reused)." };
        var list = new Option<bool>("--list") { Description = "List the figures (id, what it reproduces) and exit." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("gallery", "Reproduce the lecture notes' figures and tables on real data and write one page (runs/gallery/index.html).");
        foreach (var option in new Option[] { output, quick, only, dataDir, seed, rerun, list, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            if (parsed.GetValue(list))
            {
                foreach (var figure in GalleryCatalog.All)
                {
                    Console.Out.WriteLine($"{figure.Id,-22} {figure.Source}");
                }

                return 0;
            }

            var ids = (parsed.GetValue(only) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var figures = GalleryCatalog.Select(ids);
            string? dataFolder = parsed.GetValue(dataDir);
            if (dataFolder is not null && !Directory.Exists(dataFolder))
            {
                throw new ArgumentException($"--data-dir {dataFolder}: no such folder.");
            }

            var environment = CatalogEnvironment.FromMachine();
            if (dataFolder is not null)
            {
                environment = environment with { LatentData = Path.GetFullPath(dataFolder) };
            }

            string folder = parsed.GetValue(output)!;
            var scale = parsed.GetValue(quick) ? GalleryScale.Quick : GalleryScale.Full;
            var run = GalleryProgress.Run(parsed.GetValue(quiet), figures.Count, progress => GalleryRunner.Run(new GalleryRunOptions
            {
                Folder = folder,
                Figures = figures,
                Scale = scale,
                Seed = parsed.GetValue(seed),
                Catalog = new DatasetCatalog(environment),
                Rerun = parsed.GetValue(rerun),
                Progress = progress,
            }));
            Console.Out.WriteLine($"gallery: {Path.GetFullPath(Path.Combine(folder, GalleryRunner.PageFileName))} ({run.Figures.Count} figures, {run.Seconds / 60:F1} min)");
            if (run.Failed.Count > 0)
            {
                throw new InvalidOperationException($"{run.Failed.Count} of {run.Figures.Count} figures failed: {string.Join("; ", run.Failed.Select(f => $"{f.Id}: {f.Error}"))}");
            }

            return 0;
        });
        return command;
    }
}
