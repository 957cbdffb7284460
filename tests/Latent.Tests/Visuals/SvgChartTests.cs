using System.Globalization;
using System.Xml.Linq;
using Latent.Visuals;

namespace Latent.Tests.Visuals;

public class SvgChartTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void LineChartIsWellFormedWithOnePathPerSeries()
    {
        string svg = SvgChart.Lines("a < b & c", "iteration", "log-likelihood", [("one", [1.0, 2.5, double.NaN, 4]), ("two", [3.0, 2, 1, 0])]);
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
        string svg = SvgChart.Bars("scores", "score", ["probe", "NMI", "ARI"], [("2-D", [0.56, 0.47, -0.1]), ("20-D", [0.8, double.NaN, 0.4])]);
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
        Assert.Throws<ArgumentException>(() => SvgChart.Bars("t", "y", ["a", "b"], [("s", [1.0])]));
    }

    [Fact]
    public void ScatterPlacesPointsInsideThePlotAndColoursByLabel()
    {
        double[] x = [0, 1, 2, 3], y = [10, -5, 0, 5];
        int[] labels = [0, 1, 1, 2];
        XDocument document = XDocument.Parse(SvgChart.Scatter("s", "pc 1", "pc 2", x, y, labels));
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
        Assert.Throws<ArgumentException>(() => SvgChart.Scatter("s", "x", "y", x, [1.0], null));
    }
}
