using System.Globalization;
using System.Xml.Linq;
using Latent.Visuals;

namespace Latent.Tests.Visuals;

public class SvgChartRendererTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void LineChartIsWellFormedWithOnePathPerSeries()
    {
        string svg = SvgChartRenderer.Render(Chart.Lines("a < b & c", "iteration", "log-likelihood", [("one", [1.0, 2.5, double.NaN, 4]), ("two", [3.0, 2, 1, 0])]));
        XDocument document = XDocument.Parse(svg);
        var paths = document.Descendants(s_svg + "path").ToArray();
        Assert.Equal(2, paths.Length);

        // The NaN is skipped: three points, so one move and two line segments.
        Assert.Equal(2, paths[0].Attribute("d")!.Value.Count(c => c == 'L'));
        Assert.Contains(document.Descendants(s_svg + "text"), t => t.Value == "a < b & c");
    }

    [Fact]
    public void BarChartDrawsOneBarPerFiniteValueRisingFromZeroWithCategoryLabels()
    {
        string svg = SvgChartRenderer.Render(Chart.Bars("scores", "score", ["probe", "NMI", "ARI"], [("2-D", [0.56, 0.47, -0.1]), ("20-D", [0.8, double.NaN, 0.4])]));
        XDocument document = XDocument.Parse(svg);
        var bars = document.Descendants(s_svg + "rect").Where(r => r.Element(s_svg + "title") is not null).ToArray();
        Assert.Equal(5, bars.Length);
        double Top(XElement bar) => double.Parse(bar.Attribute("y")!.Value, CultureInfo.InvariantCulture);
        double Bottom(XElement bar) => Top(bar) + double.Parse(bar.Attribute("height")!.Value, CultureInfo.InvariantCulture);

        // Positive bars end at the zero line, where the negative one starts; taller values make taller bars.
        double zero = Bottom(bars[0]);
        Assert.Equal(zero, Bottom(bars[1]), tolerance: 0.02);
        Assert.Equal(zero, Top(bars[2]), tolerance: 0.02);
        Assert.True(Top(bars[3]) < Top(bars[0]), "0.8 stands higher than 0.56");
        Assert.Equal("2-D, ARI: -0.1", bars[2].Element(s_svg + "title")!.Value);
        Assert.All(new[] { "probe", "NMI", "ARI" }, c => Assert.Contains(document.Descendants(s_svg + "text"), t => t.Value == c));
        Assert.Throws<ArgumentException>(() => Chart.Bars("t", "y", ["a", "b"], [("s", [1.0])]));
    }

    [Fact]
    public void ScatterPlacesPointsInsideThePlotAndColoursByLabel()
    {
        double[] x = [0, 1, 2, 3], y = [10, -5, 0, 5];
        int[] labels = [0, 1, 1, 2];
        XDocument document = XDocument.Parse(SvgChartRenderer.Render(Chart.Scatter("s", "pc 1", "pc 2", x, y, labels)));
        var points = document.Descendants(s_svg + "circle").Where(c => c.Attribute("r")!.Value == "1.6").ToArray();
        Assert.Equal(4, points.Length);
        foreach (XElement point in points)
        {
            double cx = double.Parse(point.Attribute("cx")!.Value, CultureInfo.InvariantCulture);
            double cy = double.Parse(point.Attribute("cy")!.Value, CultureInfo.InvariantCulture);
            Assert.InRange(cx, 70, 620);
            Assert.InRange(cy, 40, 370);
        }

        Assert.Equal(points[1].Attribute("fill")!.Value, points[2].Attribute("fill")!.Value);
        Assert.NotEqual(points[0].Attribute("fill")!.Value, points[1].Attribute("fill")!.Value);

        // The highest y is drawn highest (smallest SVG y).
        Assert.True(double.Parse(points[0].Attribute("cy")!.Value, CultureInfo.InvariantCulture) < double.Parse(points[3].Attribute("cy")!.Value, CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => Chart.Scatter("s", "x", "y", x, [1.0], null));
    }

    [Fact]
    public void LegendEntriesAreDrawnWithTheirLabels()
    {
        XDocument lines = XDocument.Parse(SvgChartRenderer.Render(Chart.Lines("t", "x", "y", [("train", [1.0, 2]), ("validation", [2.0, 1])])));
        var texts = lines.Descendants(s_svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("train", texts);
        Assert.Contains("validation", texts);
        var paths = lines.Descendants(s_svg + "path").ToArray();
        Assert.NotEqual(paths[0].Attribute("stroke")!.Value, paths[1].Attribute("stroke")!.Value);

        // A scatter's legend shows each class with the colour of its points.
        XDocument scatter = XDocument.Parse(SvgChartRenderer.Render(Chart.Scatter("s", "1", "2", [0.0, 1, 2], [0.0, 1, 2], [4, 7, 4])));
        var markers = scatter.Descendants(s_svg + "circle").Where(c => c.Attribute("r")!.Value == "5").ToArray();
        Assert.Equal(2, markers.Length);
        var point = scatter.Descendants(s_svg + "circle").First(c => c.Attribute("r")!.Value == "1.6");
        Assert.Equal(point.Attribute("fill")!.Value, markers[0].Attribute("fill")!.Value);
        Assert.Contains(scatter.Descendants(s_svg + "text"), t => t.Value == "7");
        Assert.Contains(scatter.Descendants(s_svg + "text"), t => t.Value == "1");
    }

    [Fact]
    public void FixedLimitsAndALogarithmicScaleSetTheTicks()
    {
        var chart = new Chart("t", new ChartAxis("x") { Min = 0, Max = 10 }, new ChartAxis("y") { Scale = AxisScale.Logarithmic },
            [new LineSeries("l", [1.0, 10, 100, 1000, 0])]);
        XDocument document = XDocument.Parse(SvgChartRenderer.Render(chart));
        var labels = document.Descendants(s_svg + "text").Where(t => t.Attribute("font-size")!.Value == "11").Select(t => t.Value).ToArray();
        Assert.Equal(["0.0", "2.5", "5.0", "7.5", "10.0", "1", "10", "100", "1000"], labels);

        // The point at 0 cannot be shown on a logarithmic axis: four points, evenly spaced upwards.
        string d = Assert.Single(document.Descendants(s_svg + "path")).Attribute("d")!.Value;
        var ys = d.Split(' ').Select(p => double.Parse(p.TrimStart('M', 'L').Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, ys.Length);
        Assert.Equal(ys[0] - ys[1], ys[2] - ys[3], tolerance: 0.02);
        Assert.True(ys[0] > ys[3]);
    }
}
