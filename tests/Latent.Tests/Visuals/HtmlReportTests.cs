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
        HtmlReport.Write(path, "Test <report>", "a note & more", [new ReportSection("VAE", result.Model, result.History, data, evaluation, [("epochs", "1")])]);
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
        string html = HtmlReport.Render("Two", null, [new ReportSection("first", a, null, data, ea), new ReportSection("second", b, null, data, eb)]);
        Assert.Contains("Metrics side by side", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#section1\">second</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"section1\"", html, StringComparison.Ordinal);

        // The deterministic model has no ELBO: its cell shows a dash.
        Assert.Matches("<tr><td>ELBO</td><td class=\"num\">–</td><td class=\"num\">-?[0-9.]+</td></tr>", html);
    }

    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [GeneratedRegex("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex ImagePattern();

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgPattern();
}
