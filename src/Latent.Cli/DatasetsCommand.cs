using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Spectre.Console;

namespace Latent.Cli;

/// <summary><c>latent datasets</c>: the catalog — where each data set was found (or why not), its size and shape.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", """
            List the data sets Latent knows by name: where each was found (or why not), its size and shape.
            --data takes these names or a path, options after a colon:
              IDX (images-idx3 pair), NPY (C or Fortran order; labels=FILE, default NAME.labels.npy beside it;
                a structured array's numeric fields are columns, label=FIELD takes one as the labels),
              NPZ (data.npz:x=images,y=labels; without x=, the only array, else x, else images; without y=,
                y beside x or labels beside images; label=FIELD for a structured array; loaded whole),
              CSV/TSV (label=COLUMN or index), a folder of PNGs (one sub-folder per class).
            n=N,seed=S on any of them draws a seeded subset.
            """);
        command.SetAction(_ =>
        {
            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                // Spectre assumes 80 columns when the output is not a terminal; the paths need more.
                console.Profile.Width = 160;
            }

            Render(new DatasetCatalog().Survey(), console);
            return 0;
        });
        return command;
    }

    public static void Render(IReadOnlyList<CatalogEntry> entries, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("name");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("items").RightAligned());
        table.AddColumn("shape");
        table.AddColumn("where");
        foreach (var entry in entries)
        {
            table.AddRow(
                Markup.Escape(entry.Name),
                entry.Kind,
                entry.Count?.ToString("N0", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(entry.Shape ?? "-"),
                Markup.Escape(entry.Location));
        }

        console.Write(table);
    }
}
