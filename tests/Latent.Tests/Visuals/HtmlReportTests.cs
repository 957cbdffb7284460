using System.Text.RegularExpressions;
using System.Xml.Linq;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tests.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Tests.Visuals;

public sealed partial class HtmlReportTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void ReportIsSelfContainedWithWellFormedSvgAndReadablePngs(int latent)
    {
        var data = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Take(300);
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Latent = latent }));
        var result = new Trainer(new TrainerOptions { Epochs = 1, BatchSize = 64, CheckpointEvery = 0 }).Fit(model, data.Features);
        var evaluation = Evaluator.Evaluate(result.Model, data, new EvaluationOptions { ImportanceSamples = 10, ImportanceItems = 20, MmdItems = 100 });
        using var folder = new TempFolder();
        string path = folder.File("report.html");
        HtmlReport.Write(RunReport.Build("Test <report>", "a note & more", [new ReportSection("VAE", result.Model, result.History, data, evaluation, [("epochs", "1")])]), path);
        string html = File.ReadAllText(path);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("<title>Test &lt;report&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("a note &amp; more", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "<body>"));
        Assert.Equal(1, Count(html, "</body>"));
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);

        // Every picture is an inlined PNG that the library's own reader decodes.
        var images = ImagePattern().Matches(html);
        Assert.Equal(4, images.Count);
        foreach (Match image in images)
        {
            var png = Png.Decode(Convert.FromBase64String(image.Groups[1].Value), "report image");
            Assert.True(png.Width > 8 && png.Height > 8);
        }

        // Every chart is well-formed XML: curves for loss, reconstruction and KL, the codes, the KL per dimension.
        var charts = SvgPattern().Matches(html);
        Assert.Equal(5, charts.Count);
        foreach (Match chart in charts)
        {
            var svg = XDocument.Parse(chart.Value);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }

        Assert.Contains(latent == 2 ? "2-D manifold" : "Latent traversals", html, StringComparison.Ordinal);
        Assert.Contains("linear probe accuracy", html, StringComparison.Ordinal);
        Assert.Contains("IWAE k=10", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSectionsGetAComparisonTableAndLinks()
    {
        var data = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Take(100);
        var a = new Autoencoder(ModelTestData.Small("ae"));
        var b = new Autoencoder(ModelTestData.Small("vae"));
        var ea = Evaluator.Evaluate(a, data, new EvaluationOptions { ImportanceSamples = 0 });
        var eb = Evaluator.Evaluate(b, data, new EvaluationOptions { ImportanceSamples = 0 });
        string html = HtmlReport.Render(RunReport.Build("Two", null, [new ReportSection("first", a, null, data, ea), new ReportSection("second", b, null, data, eb)]));
        Assert.Contains("Metrics side by side", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#section1\">second</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"section1\"", html, StringComparison.Ordinal);

        // The deterministic model has no ELBO: its cell shows a dash.
        Assert.Matches("<tr><td>ELBO</td><td class=\"num\">–</td><td class=\"num\">-?[0-9.]+</td></tr>", html);
    }

    [Fact]
    public void TheContentHoldsTheTablesAndPicturesAndRenderingNeedsNoModel()
    {
        var data = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Take(100);
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Latent = 2 }));
        var result = new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 50, CheckpointEvery = 0 }).Fit(model, data.Features);
        var evaluation = Evaluator.Evaluate(result.Model, data, new EvaluationOptions { ImportanceSamples = 0 });
        ReportContent content = RunReport.Build("One", null, [new ReportSection("VAE", result.Model, result.History, data, evaluation)]);

        Assert.Null(content.Comparison);
        ReportPart part = Assert.Single(content.Parts);
        Assert.Equal([$"Metrics on {evaluation.Data}", "Options"], part.Tables.Select(t => t.Heading));
        Assert.Contains(part.Tables[1].Rows, r => r.Name == "latent" && r.Values.SequenceEqual(["2"]));
        Assert.Equal(["Training curves", "Pictures", "Codes"], part.Groups.Select(g => g.Heading));
        Assert.Equal(["reconstructions", "samples", "manifold", "interpolation"], part.Groups[1].Pictures.Select(p => p.Name));
        Assert.Equal(["codes", "kl-per-dimension"], part.Groups[2].Pictures.Select(p => p.Name));
        var loss = Assert.IsType<ChartPicture>(part.Groups[0].Pictures[0]).Chart;
        Assert.Equal(result.History.Epochs.Select(e => e.Train.Total), Assert.IsType<LineSeries>(Assert.Single(loss.Series)).Y);

        // A page made by hand, with no model behind it, renders the same way.
        var chart = new ChartPicture("c", Chart.Lines("curve", "x", "y", [("a", [1.0, 2])]), "a caption");
        var image = new ImagePicture("i", new PngImage(2, 2, PngColor.Grey, [0, 64, 128, 255]), "an image", zoom: 3);
        string html = HtmlReport.Render(new ReportContent("Hand-made", null, null,
            [new ReportPart("part", [new ReportTable("numbers", null, [new ReportRow("n", ["1.5"])], Numeric: true)], [new ReportGroup("Both", [chart, image])])]));
        Assert.Contains("<tr><td>n</td><td class=\"num\">1.5</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Both</h3>\n<div class=\"row\">", html, StringComparison.Ordinal);
        Assert.Single(SvgPattern().Matches(html));
        Assert.Contains("width=\"6\" height=\"6\" alt=\"an image\"", html, StringComparison.Ordinal);
        Assert.Contains("<figcaption>a caption</figcaption>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartsOnOnePageHaveDistinctIdsAndScaleWithTheirViewBox()
    {
        var one = new ChartPicture("a", Chart.Lines("first", "x", "y", [("a", [1.0, 2])]));
        var two = new ChartPicture("b", Chart.Bars("second", "y", ["p", "q"], [("s", [1.0, 2])]));
        string html = HtmlReport.Render(new ReportContent("Ids", null, null, [new ReportPart("part", [], [new ReportGroup("Charts", [one, two])])]));
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);

        var charts = SvgPattern().Matches(html).Select(m => XDocument.Parse(m.Value)).ToArray();
        Assert.Equal(2, charts.Length);
        var ids = charts.SelectMany(c => c.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>()).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());

        // Every reference points at an element of its own chart, and every chart has a view box for CSS to scale.
        for (int c = 0; c < charts.Length; c++)
        {
            var own = charts[c].Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToHashSet();
            var references = ReferencePattern().Matches(charts[c].ToString()).Select(m => m.Groups[1].Value).ToArray();
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.Contains(r, own));
            Assert.All(own, id => Assert.StartsWith($"chart{c}-", id, StringComparison.Ordinal));
            Assert.Matches("^0 0 [0-9]+ [0-9]+$", charts[c].Root!.Attribute("viewBox")!.Value);
        }
    }

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [GeneratedRegex("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex ImagePattern();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgPattern();
}
