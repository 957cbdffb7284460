using System.CommandLine;
using Latent.Cli;
using Latent.Data;
using Spectre.Console;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class DataCommandTests
{
    private static DatasetCatalog TestCatalog { get; } = new(new CatalogEnvironment { BundledData = Path.Combine(AppContext.BaseDirectory, "data"), SystemDatasets = null });

    [Fact]
    public void ShowWritesAGridOfTheRequestedImages()
    {
        using var folder = new TempFolder();
        string path = folder.File("grid.png");
        Assert.Equal(10, ShowCommand.Run("mnist-10k", path, count: 10, columns: 5, seed: null, TestCatalog));
        var grid = Png.Read(path);
        // 5 columns × 2 rows of 28×28 tiles with 2 pixels of padding around each.
        Assert.Equal((2 + (5 * 30), 2 + (2 * 30), PngColor.Grey), (grid.Width, grid.Height, grid.Color));
        // The first tile is the first digit, scaled from 0..255.
        var first = TestCatalog.Load("mnist-10k").Row(0);
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                Assert.Equal((byte)first[(y * 28) + x], grid[2 + x, 2 + y, 0]);
            }
        }

        Assert.Equal(128, grid[0, 0, 0]);
        Assert.Throws<ArgumentException>(() => ShowCommand.Run("moons", path, 4, 0, null, TestCatalog));
    }

    [Fact]
    public void DatasetsListsEveryEntry()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        DatasetsCommand.Render(TestCatalog.Survey(), console);
        string text = writer.ToString();
        foreach (string name in DatasetCatalog.Names)
        {
            Assert.Contains(name, text);
        }

        Assert.Contains("737,280", text);
        Assert.Contains("10,000", text);
    }

    [Fact]
    public void FormatErrorsAreOneLineAndExitCodeTwo()
    {
        using var folder = new TempFolder();
        string bad = folder.File("bad.npy");
        File.WriteAllBytes(bad, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 9, 0, 0, 0]);
        var root = new RootCommand("test");
        root.Subcommands.Add(ShowCommand.Create());
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = CommandRunner.Run(root, ["show", bad, "--out", folder.File("g.png")]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, code);
        Assert.Equal($"latent: error: {bad}: NPY version 9.0 is not supported (1.0, 2.0 and 3.0 are).{Environment.NewLine}", error.ToString());
    }
}
