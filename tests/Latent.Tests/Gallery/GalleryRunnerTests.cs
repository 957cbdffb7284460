using System.Text.Json;
using System.Text.RegularExpressions;
using Latent.Data;
using Latent.Gallery;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Tests.Gallery;

public class GalleryRunnerTests
{
    private static DatasetCatalog TestCatalog { get; } = new(new CatalogEnvironment { BundledData = Path.Combine(AppContext.BaseDirectory, "data"), SystemDatasets = null });

    [Fact]
    public void WritesEveryPictureResultsAndAPageWithPicturesInlinedAndFailuresShown()
    {
        using var folder = new TempFolder();
        var good = new LineFigure("line-a", 1);
        var broken = new FailingFigure();
        var run = GalleryRunner.Run(new GalleryRunOptions { Folder = folder.Path, Figures = [good, broken], Scale = GalleryScale.Toy, Catalog = TestCatalog });

        Assert.Equal(["line-a", "broken"], run.Figures.Select(f => f.Id));
        Assert.Equal("broken", Assert.Single(run.Failed).Id);
        Assert.Contains("no such data", run.Failed[0].Error);
        byte[] png = File.ReadAllBytes(folder.File("line-a.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        System.Xml.Linq.XDocument.Parse(File.ReadAllText(folder.File("line-a.svg")));
        Assert.False(File.Exists(folder.File("broken.png")));

        using var results = JsonDocument.Parse(File.ReadAllBytes(folder.File(GalleryRunner.ResultsFileName)));
        var first = results.RootElement.GetProperty("figures")[0];
        Assert.Equal("toy", first.GetProperty("scale").GetString());
        var number = first.GetProperty("numbers")[0];
        Assert.Equal(2.5, number.GetProperty("measured").GetDouble());
        Assert.Equal(3.0, number.GetProperty("published").GetDouble());
        Assert.Equal("NaN", first.GetProperty("numbers")[1].GetProperty("measured").GetString());

        string page = File.ReadAllText(folder.File(GalleryRunner.PageFileName));
        Assert.Single(Regex.Matches(page, "<img [^>]*src=\"data:image/png;base64,"));
        Assert.DoesNotContain("src=\"line-a.png\"", page);
        Assert.Contains("<a href=\"#line-a\">", page);
        Assert.Contains("<a href=\"#broken\">", page);
        Assert.Contains("Failed: no such data", page);
        Assert.Contains("latent fit pca --data digits-8x8", page);
        Assert.Contains("<td class=\"num\">2.5</td><td class=\"num\">3</td>", page);
        Assert.Contains("<th>k</th>", page);
        // Well-formed: every opened section, table and figure is closed.
        foreach (string tag in new[] { "section", "table", "figure", "pre", "ol" })
        {
            Assert.Equal(Regex.Matches(page, $"<{tag}[ >]").Count, Regex.Matches(page, $"</{tag}>").Count);
        }
    }

    [Fact]
    public void ReusesFinishedFiguresOfTheSameScaleAndRunsThemAgainWhenAsked()
    {
        using var folder = new TempFolder();
        var figure = new LineFigure("line-b", 2);
        var options = new GalleryRunOptions { Folder = folder.Path, Figures = [figure], Scale = GalleryScale.Toy, Catalog = TestCatalog };
        GalleryRunner.Run(options);
        var again = GalleryRunner.Run(options);
        Assert.Equal(1, figure.Runs);
        Assert.True(again.Figures[0].Reused);
        Assert.Equal(2.5, again.Figures[0].Numbers[0].Measured);

        GalleryRunner.Run(options with { Rerun = true });
        Assert.Equal(2, figure.Runs);
        GalleryRunner.Run(options with { Scale = GalleryScale.Quick });
        Assert.Equal(3, figure.Runs);
        File.Delete(folder.File("line-b.png"));
        GalleryRunner.Run(options with { Scale = GalleryScale.Quick });
        Assert.Equal(4, figure.Runs);
    }

    [Fact]
    public void RefusesAFileAsTheFolderAndAnEmptyFigureList()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x"), "not a folder");
        var error = Assert.Throws<ArgumentException>(() => GalleryRunner.Run(new GalleryRunOptions { Folder = folder.File("x"), Figures = [new LineFigure("l", 1)] }));
        Assert.Contains("is a file", error.Message);
        Assert.Throws<ArgumentException>(() => GalleryRunner.Run(new GalleryRunOptions { Folder = folder.Path, Figures = [] }));
    }

    [Fact]
    public void ContextReusesATrainedPartOnlyForTheSameOptionsAndData()
    {
        using var folder = new TempFolder();
        var context = new GalleryContext("t", GalleryScale.Toy, folder.Path, TestCatalog);
        var data = context.Data("digits-8x8").Take(200);
        Assert.Same(context.Data("digits-8x8"), context.Data("digits-8x8"));
        var options = new TrainingRunOptions
        {
            Model = Presets.Defaults("ae", data.Dimension) with { Latent = 2, Hidden = [16] },
            Trainer = new TrainerOptions { Epochs = 2, BatchSize = 50, CheckpointEvery = 0 },
        };
        var first = context.Train("ae", options, data);
        string model = RunFiles.ModelPath(Path.Combine(folder.Path, "ae"));
        DateTime written = File.GetLastWriteTimeUtc(model);
        var second = context.Train("ae", options, data);
        Assert.Equal(written, File.GetLastWriteTimeUtc(model));
        Assert.Equal(first.History.Epochs.Count, second.History.Epochs.Count);
        Assert.Equal(first.Model.Encode(data.Take(3)).Span.ToArray(), second.Model.Encode(data.Take(3)).Span.ToArray());

        var longer = context.Train("ae", options with { Trainer = options.Trainer with { Epochs = 3 } }, data);
        Assert.Equal(3, longer.History.Epochs.Count);
    }

    [Fact]
    public void TheCatalogHoldsEveryFigureOfTheNotesInThePagesOrder()
    {
        string[] ids =
        [
            "kmeans-steps", "gmm-em", "linear-ae-pca", "binary-codes", "pca-vs-ae-2d", "ksparse", "denoising", "ae-sampling", "vae-manifold",
            "vae-latent-size", "infovae-two-points", "infovae-500", "beta-vae-traversals", "alpha-divergence", "interpolation", "learned-variance", "fa-ppca",
            "dcgan",
        ];
        Assert.Equal(ids, GalleryCatalog.All.Select(f => f.Id));
        Assert.Equal(Enumerable.Range(1, ids.Length), GalleryCatalog.All.Select(f => f.Order));
    }

    [Fact]
    public void CatalogFindsFiguresByIdAndNamesTheKnownOnesForAnUnknownOne()
    {
        var error = Assert.Throws<ArgumentException>(() => GalleryCatalog.Select(["no-such-figure"]));
        Assert.Contains("no figure 'no-such-figure'", error.Message);
        Assert.Equal(GalleryCatalog.All, GalleryCatalog.Select([]));
        Assert.Equal(GalleryCatalog.All.Count, GalleryCatalog.All.Select(f => f.Id).Distinct().Count());
        Assert.Equal(GalleryCatalog.All.Count, GalleryCatalog.All.Select(f => f.Order).Distinct().Count());
        foreach (var figure in GalleryCatalog.All)
        {
            Assert.Matches("^[a-z0-9-]+$", figure.Id);
            Assert.False(string.IsNullOrWhiteSpace(figure.Title + figure.Source + figure.Caption));
            var commands = figure.Commands(GalleryScale.Quick);
            Assert.Contains(commands, c => c.StartsWith("latent ", StringComparison.Ordinal));
            Assert.All(commands, c => Assert.False(string.IsNullOrWhiteSpace(c)));
        }
    }

    private sealed class LineFigure(string id, int order) : GalleryFigure
    {
        public int Runs { get; private set; }

        public override string Id => id;

        public override int Order => order;

        public override string Title => "A line & a <title>";

        public override string Source => "Note Z, Figure 0";

        public override string Caption => "A straight line.";

        public override IReadOnlyList<string> Commands(GalleryScale scale) => ["latent fit pca --data digits-8x8 --components 2"];

        public override GalleryOutcome Run(GalleryContext context)
        {
            Runs++;
            var figure = PlotFigure.Single(300, 200);
            figure.Panels[0].Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 1, 2, 3 });
            return new GalleryOutcome(figure,
                [new GalleryNumber("slope", 2.5, 3.0), new GalleryNumber("unmeasured", double.NaN, Comment: "why")],
                [new GalleryTable("t", ["k", "error"], [["1", "2 %"]])],
                "three points");
        }
    }

    private sealed class FailingFigure : GalleryFigure
    {
        public override string Id => "broken";

        public override int Order => 2;

        public override string Title => "Broken";

        public override string Source => "nowhere";

        public override string Caption => "fails";

        public override IReadOnlyList<string> Commands(GalleryScale scale) => [];

        public override GalleryOutcome Run(GalleryContext context) => throw new FileNotFoundException("no such data");
    }
}
