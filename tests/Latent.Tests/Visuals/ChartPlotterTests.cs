using System.Globalization;
using System.Xml.Linq;
using Latent.Data;
using Latent.Visuals;
using ScottPlot;
using ScottPlot.Plottables;
using PlotStyle = Latent.Visuals.PlotStyle;

namespace Latent.Tests.Visuals;

/// <summary>Charts drawn with ScottPlot: what the plot holds, and that the SVG and PNG render.</summary>
public class ChartPlotterTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void ALineChartIsOnePlottablePerSeriesSkipsNaNAndWritesWellFormedSvg()
    {
        var chart = Chart.Lines("a < b & c", "iteration", "log-likelihood", [("one", [1.0, 2.5, double.NaN, 4]), ("two", [3.0, 2, 1, 0])]);
        Plot plot = ChartPlotter.ToPlot(chart);

        var lines = plot.GetPlottables().Cast<Scatter>().ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal([1.0, 2, 4], lines[0].Data.GetScatterPoints().Select(p => p.X));
        Assert.Equal([1.0, 2.5, 4], lines[0].Data.GetScatterPoints().Select(p => p.Y));
        Assert.Equal(PlotStyle.Colour(0), lines[0].Color);
        Assert.Equal(PlotStyle.Colour(1), lines[1].Color);
        Assert.Equal(["one", "two"], plot.Legend.ManualItems.Select(i => i.LabelText));

        // The title's special characters are escaped: the SVG parses, and shows the title and the legend.
        XDocument svg = XDocument.Parse(new ChartPicture("c", chart).ToSvg());
        var texts = svg.Descendants(s_svg + "text").Select(t => t.Value.Trim()).ToArray();
        Assert.Contains("a < b & c", texts);
        Assert.Contains("two", texts);
        Assert.Contains("iteration", texts);
    }

    [Fact]
    public void ALinesLegendGoesToTheCornerTheLinesLeaveFree()
    {
        // A falling loss leaves the upper right free; a rising running sum the upper left; a rise and a fall the bottom.
        Assert.Equal(Alignment.UpperRight, ChartPlotter.ToPlot(Chart.Lines("t", "x", "y", [("a", [5.0, 3, 2, 1.5, 1.2]), ("b", [4.0, 2.5, 2, 1.8, 1.7])])).Legend.Alignment);
        Assert.Equal(Alignment.UpperLeft, ChartPlotter.ToPlot(Chart.Lines("t", "x", "y", [("a", [0.2, 0.4, 0.6, 0.7, 0.75]), ("b", [0.2, 0.1, 0.05, 0.03, 0.02])])).Legend.Alignment);
        Assert.Equal(Alignment.LowerRight, ChartPlotter.ToPlot(Chart.Lines("t", "x", "y", [("a", [0.0, 1, 0.9, 0.95, 1]), ("b", [1.0, 0, 0.9, 0.92, 0.95])])).Legend.Alignment);
    }

    [Fact]
    public void ALogarithmicAxisDropsNonPositiveValuesAndTicksPowersOfTen()
    {
        var chart = new Chart("t", new ChartAxis("x") { Min = 0, Max = 10 }, new ChartAxis("y") { Scale = AxisScale.Logarithmic },
            [new LineSeries("l", [1.0, 10, 100, 1000, 0, -5])]);
        PlotFigure figure = ChartPlotter.ToFigure(chart);
        figure.ToPng();
        Plot plot = figure.Panels[0];

        // The points at 0 and -5 cannot be shown: four points, at log10 of their values.
        Scatter line = Assert.IsType<Scatter>(Assert.Single(plot.GetPlottables()));
        Assert.Equal([0.0, 1, 2, 3], line.Data.GetScatterPoints().Select(p => p.Y));
        var major = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToArray();
        Assert.Equal(["1", "10", "100", "1000"], major);
        Assert.Contains(plot.Axes.Left.TickGenerator.Ticks, t => !t.IsMajor && Math.Abs(t.Position - Math.Log10(20)) < 1e-9);

        // The x axis keeps its fixed limits; the y axis spans the data.
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal((0.0, 10.0), (limits.Left, limits.Right));
        Assert.InRange(limits.Bottom, -0.5, 0);
        Assert.InRange(limits.Top, 3, 3.5);
    }

    [Fact]
    public void FixedLimitsReplaceTheDataRangeAndCanBeOneSided()
    {
        var chart = new Chart("t", new ChartAxis("x") { Max = 2 }, new ChartAxis("y") { Min = -1, Max = 0.5 },
            [new LineSeries("l", [5.0, -3, 0.25], [0.0, 1, 4])]);
        AxisLimits limits = ChartPlotter.ToPlot(chart).Axes.GetLimits();
        Assert.Equal((-1.0, 0.5), (limits.Bottom, limits.Top));
        Assert.Equal(2.0, limits.Right);
        Assert.InRange(limits.Left, -0.5, 0);

        // A limit a logarithmic axis cannot show is ignored.
        var log = new Chart("t", new ChartAxis("x"), new ChartAxis("y") { Scale = AxisScale.Logarithmic, Min = 0, Max = 100 }, [new LineSeries("l", [1.0, 10])]);
        AxisLimits logLimits = ChartPlotter.ToPlot(log).Axes.GetLimits();
        Assert.Equal(2.0, logLimits.Top, 12);
        Assert.InRange(logLimits.Bottom, -0.5, 0);
    }

    [Fact]
    public void AClassScatterHasOnePlottablePerClassInItsColourAndALegendOfTheClasses()
    {
        double[] x = [0, 1, 2, 3, 4], y = [10, -5, 0, 5, double.NaN];
        int[] labels = [4, 7, 4, 7, 4];
        Plot plot = ChartPlotter.ToPlot(Chart.Scatter("s", "pc 1", "pc 2", x, y, labels));

        var classes = plot.GetPlottables().Cast<Scatter>().ToArray();
        Assert.Equal(2, classes.Length);
        Assert.Equal([(0.0, 10.0), (2.0, 0.0)], classes[0].Data.GetScatterPoints().Select(p => (p.X, p.Y)));
        Assert.Equal([(1.0, -5.0), (3.0, 5.0)], classes[1].Data.GetScatterPoints().Select(p => (p.X, p.Y)));
        Assert.Equal(PlotStyle.Colour(4).WithAlpha(0.7), classes[0].MarkerFillColor);
        Assert.Equal(PlotStyle.Colour(7).WithAlpha(0.7), classes[1].MarkerFillColor);
        Assert.Equal(0, classes[0].LineWidth);

        var legend = plot.Legend.ManualItems;
        Assert.Equal(["4", "7"], legend.Select(i => i.LabelText));
        Assert.Equal([PlotStyle.Colour(4), PlotStyle.Colour(7)], legend.Select(i => i.MarkerFillColor));
        Assert.All(legend, i => Assert.Equal(MarkerShape.FilledCircle, i.MarkerShape));

        // Twelve classes: twelve colours of points, a legend of the first ten, and the SVG lists them.
        int[] many = [.. Enumerable.Range(0, 12)];
        double[] at = [.. many.Select(i => i / 20.0)];
        var chart = Chart.Scatter("many", "1", "2", at, at, many);
        Assert.Equal(12, ChartPlotter.ToPlot(chart).GetPlottables().Count());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), ChartPlotter.ToPlot(chart).Legend.ManualItems.Select(i => i.LabelText));
        var texts = XDocument.Parse(new ChartPicture("many", chart).ToSvg()).Descendants(s_svg + "text").Select(t => t.Value.Trim()).ToArray();
        Assert.Contains("9", texts);
        Assert.DoesNotContain("11", texts);
    }

    [Fact]
    public void BarsAreOnePlottablePerSeriesWithOneBarPerFiniteValueInItsCategory()
    {
        var chart = Chart.Bars("scores", "score", ["probe", "NMI", "ARI"], [("2-D", [0.56, 0.47, -0.1]), ("20-D", [0.8, double.NaN, 0.4])]);
        PlotFigure figure = ChartPlotter.ToFigure(chart);
        figure.ToPng();
        Plot plot = figure.Panels[0];

        var series = plot.GetPlottables().Cast<BarPlot>().ToArray();
        Assert.Equal(2, series.Length);
        Assert.Equal([0.56, 0.47, -0.1], series[0].Bars.Select(b => b.Value));
        Assert.Equal([0.8, 0.4], series[1].Bars.Select(b => b.Value));
        Assert.All(series.SelectMany(s => s.Bars), b => Assert.Equal(0, b.ValueBase));

        // Each bar stands in its category (at 1, 2, 3), the first series left of the second; no bars overlap.
        Assert.Equal([1, 2, 3], series[0].Bars.Select(b => (int)Math.Round(b.Position + 0.2)));
        Assert.Equal([1, 3], series[1].Bars.Select(b => (int)Math.Round(b.Position - 0.2)));
        Assert.All(series.SelectMany(s => s.Bars), b => Assert.Equal(0.4, b.Size, 12));
        Assert.True(series[0].Bars[0].Position + 0.2 <= series[1].Bars[0].Position - 0.2 + 1e-12);
        Assert.Equal(PlotStyle.Colour(1), series[1].Bars[0].FillColor);

        // The categories label the x axis, which spans half a category beyond each end; the value axis shows 0 and the negative bar.
        Assert.Equal(["probe", "NMI", "ARI"], plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label));
        AxisLimits limits = plot.Axes.GetLimits();
        Assert.Equal((0.5, 3.5), (limits.Left, limits.Right));
        Assert.True(limits.Bottom < -0.1 && limits.Top > 0.8, $"The value axis spans {limits.Bottom}..{limits.Top}.");
        Assert.Equal(["2-D", "20-D"], plot.Legend.ManualItems.Select(i => i.LabelText));
    }

    [Fact]
    public void NonNegativeBarsStandOnTheBottomOfThePlot()
    {
        PlotFigure figure = ChartPlotter.ToFigure(Chart.Bars("KL", "nats", ["1", "2", "3"], [("KL", [3.0, 2, 0.5])]));
        AxisLimits limits = figure.Panels[0].Axes.GetLimits();
        Assert.Equal(0, limits.Bottom);
        Assert.InRange(limits.Top, 3, 3.5);
        Assert.Empty(figure.Panels[0].Legend.ManualItems);
    }

    [Fact]
    public void TickLabelsUseTheInvariantCultureAndWholeNumberDataGetWholeTicks()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            // A culture writing decimal commas (the tests run in globalization-invariant mode, so it is made by hand).
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            PlotFigure figure = ChartPlotter.ToFigure(Chart.Lines("t", "epoch", "loss", [("train", [0.5, 0.25, 0.125, 0.1, 0.05])]));
            figure.ToPng();
            Plot plot = figure.Panels[0];
            var y = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToArray();
            Assert.Contains(y, l => l.Contains('.', StringComparison.Ordinal));
            Assert.DoesNotContain(y, l => l.Contains(',', StringComparison.Ordinal));

            // Epochs 1..5 are whole numbers: no tick between them.
            var x = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).ToArray();
            Assert.NotEmpty(x);
            Assert.All(x, p => Assert.Equal(Math.Round(p), p));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        Assert.Equal("2.5E+6", ChartPlotter.TickLabel(2.5e6));
        Assert.Equal("0.3", ChartPlotter.TickLabel(0.1 + 0.2));
        Assert.Equal("0.01", ChartPlotter.PowerLabel(-2));
    }

    [Fact]
    public void AChartPictureWritesSvgAndPngOfTheChartsSize()
    {
        var picture = new ChartPicture("curve", Chart.Lines("curve", "x", "y", [("a", [1.0, 2, 3])]));
        using var folder = new TempFolder();
        string svgPath = picture.Write(folder.Path);
        Assert.Equal("curve.svg", Path.GetFileName(svgPath));
        XElement root = XDocument.Load(svgPath).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal(ChartPlotter.Width.ToString(CultureInfo.InvariantCulture), root.Attribute("width")!.Value);

        string pngPath = picture.WritePng(folder.Path, 320, 240);
        Assert.Equal("curve.png", Path.GetFileName(pngPath));
        PngImage png = Png.Decode(File.ReadAllBytes(pngPath), "chart");
        Assert.Equal((320, 240), (png.Width, png.Height));

        // An empty chart (every value unplottable) still renders.
        var empty = new Chart("empty", new ChartAxis("x"), new ChartAxis("y") { Scale = AxisScale.Logarithmic }, [new LineSeries("l", [0.0, -1])]);
        Assert.NotEmpty(new ChartPicture("empty", empty).ToPng());
    }
}
