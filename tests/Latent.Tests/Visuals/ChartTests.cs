using Latent.Visuals;

namespace Latent.Tests.Visuals;

/// <summary>Chart values: built, inspected and checked without any renderer.</summary>
public class ChartTests
{
    [Fact]
    public void LinesAreOneSeriesEachAgainstOneTwoThreeWithALegendOnlyForSeveral()
    {
        double[] values = [3.0, 1, 4];
        Chart chart = Chart.Lines("loss", "epoch", "nats", [("train", values), ("validation", [2.0, 2, 2])]);
        values[0] = 99; // the chart copied its input

        Assert.Equal("loss", chart.Title);
        Assert.Equal("epoch", chart.X.Label);
        Assert.Equal("nats", chart.Y.Label);
        var lines = chart.Series.Cast<LineSeries>().ToArray();
        Assert.Equal([1.0, 2, 3], lines[0].X);
        Assert.Equal([3.0, 1, 4], lines[0].Y);
        Assert.Equal([0, 1], lines.Select(l => l.Colour));
        Assert.Equal([new LegendEntry("train", 0, LegendMarker.Square), new LegendEntry("validation", 1, LegendMarker.Square)], chart.Legend);
        Assert.Empty(Chart.Lines("t", "x", "y", [("only", values)]).Legend);

        LineSeries against = Assert.IsType<LineSeries>(Chart.Lines("t", "x", "y", [("a", [1.0, 2])], x: [10.0, 20, 30]).Series[0]);
        Assert.Equal([10.0, 20], against.X);
        Assert.Throws<ArgumentException>(() => Chart.Lines("t", "x", "y", [("a", [1.0, 2, 3])], x: [1.0]));
    }

    [Fact]
    public void ScatterKeepsEachPointsClassAndListsTheFirstTenClassesInOrder()
    {
        int[] labels = [11, 3, 3, 0, 7, 1, 2, 4, 5, 6, 8, 9, 10];
        double[] x = [.. labels.Select(l => (double)l)];
        Chart chart = Chart.Scatter("codes", "z1", "z2", x, x, labels);

        ScatterSeries points = Assert.IsType<ScatterSeries>(Assert.Single(chart.Series));
        Assert.Equal(labels, points.Classes);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), chart.Legend.Select(e => e.Label));
        Assert.All(chart.Legend, e => Assert.Equal(LegendMarker.Circle, e.Marker));
        Assert.Equal(Enumerable.Range(0, 10), chart.Legend.Select(e => e.Colour));
        Assert.Empty(Chart.Scatter("s", "x", "y", x, x).Legend);
        Assert.Throws<ArgumentException>(() => Chart.Scatter("s", "x", "y", x, x, [1, 2]));
    }

    [Fact]
    public void BarsNeedOneValuePerCategoryOfACategoricalAxis()
    {
        Chart chart = Chart.Bars("scores", "score", ["probe", "NMI"], [("a", [0.5, 0.25]), ("b", [0.75, 1.0])]);
        Assert.Equal(["probe", "NMI"], chart.X.Categories!);
        Assert.Equal([0.75, 1.0], Assert.IsType<BarSeries>(chart.Series[1]).Values);
        Assert.Equal(2, chart.Legend.Count);

        Assert.Throws<ArgumentException>(() => Chart.Bars("t", "y", ["a", "b"], [("s", [1.0])]));
        Assert.Throws<ArgumentException>(() => new Chart("t", new ChartAxis("x"), new ChartAxis("y"), [new BarSeries("s", [1.0])]));
    }

    [Fact]
    public void AChartIsMadeFromSeriesAxesAndLegendDirectly()
    {
        var axis = new ChartAxis("variance") { Scale = AxisScale.Logarithmic, Min = 1e-3, Max = 1 };
        var chart = new Chart("mixed", new ChartAxis("k"), axis,
            [new LineSeries("fit", [1.0, 0.1, 0.01], colour: 3), new ScatterSeries("data", [1.0, 2, 3], [0.9, 0.2, 0.011], colour: 3)],
            [new LegendEntry("fit", 3, LegendMarker.Square)]);
        Assert.Equal(AxisScale.Logarithmic, chart.Y.Scale);
        Assert.Equal(1e-3, chart.Y.Min);
        Assert.Equal(2, chart.Series.Count);
        Assert.Null(((ScatterSeries)chart.Series[1]).Classes);
        Assert.Throws<ArgumentException>(() => new LineSeries("bad", [1.0, 2], [1.0]));
    }

    [Fact]
    public void AScatterLegendNamesTheClassesWhenTheDataHaveNames()
    {
        double[] x = [0, 1, 2, 3];
        Chart chart = Chart.Scatter("codes", "z1", "z2", x, x, [2, 0, 1, 0], ["setosa", "versicolor", "virginica"]);
        Assert.Equal(["setosa", "versicolor", "virginica"], chart.Legend.Select(e => e.Label));
        Assert.Equal([0, 1, 2], chart.Legend.Select(e => e.Colour));
        // A class beyond the names keeps its number.
        Assert.Equal(["only one name", "1"], Chart.Scatter("c", "x", "y", x, x, [1, 0, 1, 0], ["only one name"]).Legend.Select(e => e.Label));
    }
}
