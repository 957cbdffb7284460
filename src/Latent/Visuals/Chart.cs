using System.Globalization;

namespace Latent.Visuals;

/// <summary>How an axis maps values to positions.</summary>
public enum AxisScale
{
    /// <summary>Evenly spaced values.</summary>
    Linear,

    /// <summary>Evenly spaced powers of ten; values at or below zero are not drawn.</summary>
    Logarithmic,
}

/// <summary>The marker a legend entry shows beside its label.</summary>
public enum LegendMarker
{
    /// <summary>A filled square (lines and bars).</summary>
    Square,

    /// <summary>A filled circle (the classes of a scatter plot).</summary>
    Circle,
}

/// <summary>One axis of a <see cref="Chart"/>: its label, scale and (optional) fixed limits or categories.</summary>
/// <param name="Label">The axis title.</param>
public sealed record ChartAxis(string Label)
{
    /// <summary>How values map to positions (linear by default).</summary>
    public AxisScale Scale { get; init; } = AxisScale.Linear;

    /// <summary>The lowest value shown (null: the data's, with a small margin).</summary>
    public double? Min { get; init; }

    /// <summary>The highest value shown (null: the data's, with a small margin).</summary>
    public double? Max { get; init; }

    /// <summary>
    /// Category names for a categorical axis (bar charts): category <c>i</c> sits at position <c>i + 1</c>
    /// and the axis spans half a category beyond each end. Null for a numeric axis.
    /// </summary>
    public IReadOnlyList<string>? Categories { get; init; }
}

/// <summary>One entry of a chart's legend.</summary>
/// <param name="Label">The text.</param>
/// <param name="Colour">The colour, as an index into the renderer's categorical palette.</param>
/// <param name="Marker">The marker's shape.</param>
public sealed record LegendEntry(string Label, int Colour, LegendMarker Marker);

/// <summary>One data series of a <see cref="Chart"/>: a line, a scatter or a set of bars.</summary>
/// <remarks>
/// Colours are indices into the renderer's categorical palette (Matplotlib's ten "tab10" colours, <see cref="PlotStyle.Palette"/>,
/// for <see cref="ChartPlotter"/>), so a chart value says which series share a colour without saying how colours are drawn.
/// Values are copied when a series is made: a series never changes.
/// </remarks>
public abstract record ChartSeries
{
    private protected ChartSeries(string name, int colour)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Colour = colour;
    }

    /// <summary>The series' name (legend and tooltips).</summary>
    public string Name { get; }

    /// <summary>The series' colour, as an index into the renderer's palette.</summary>
    public int Colour { get; }
}

/// <summary>A polyline through (x, y) points; points with a non-finite coordinate are skipped.</summary>
public sealed record LineSeries : ChartSeries
{
    /// <summary>A line through <paramref name="y"/> against <paramref name="x"/> (default 1, 2, 3, …).</summary>
    public LineSeries(string name, IReadOnlyList<double> y, IReadOnlyList<double>? x = null, int colour = 0)
        : base(name, colour)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (x is not null && x.Count != y.Count)
        {
            throw new ArgumentException($"Line '{name}' has {x.Count} x values for {y.Count} y values; they must match.", nameof(x));
        }

        Y = [.. y];
        X = x is null ? [.. Enumerable.Range(1, y.Count).Select(i => (double)i)] : [.. x];
    }

    /// <summary>The x values.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y values.</summary>
    public IReadOnlyList<double> Y { get; }
}

/// <summary>Points at (x, y), each coloured by its class when <see cref="Classes"/> is given (else by the series' colour).</summary>
public sealed record ScatterSeries : ChartSeries
{
    /// <summary>Points at (<paramref name="x"/>, <paramref name="y"/>), coloured by <paramref name="classes"/> when given.</summary>
    public ScatterSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? classes = null, int colour = 0)
        : base(name, colour)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || (classes is not null && classes.Count != x.Count))
        {
            throw new ArgumentException($"The scatter has {x.Count} x values, {y.Count} y values and {classes?.Count ?? x.Count} labels; they must match.", nameof(y));
        }

        X = [.. x];
        Y = [.. y];
        Classes = classes is null ? null : [.. classes];
    }

    /// <summary>The x values.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y values.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>Each point's class, whose palette colour it takes (null: all points take the series' colour).</summary>
    public IReadOnlyList<int>? Classes { get; }
}

/// <summary>
/// One bar per category of the chart's categorical x axis, rising from 0; several bar series in one chart
/// stand side by side in each category (grouped bars). Non-finite values draw no bar.
/// </summary>
public sealed record BarSeries : ChartSeries
{
    /// <summary>Bars of heights <paramref name="values"/>, one per category.</summary>
    public BarSeries(string name, IReadOnlyList<double> values, int colour = 0)
        : base(name, colour)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = [.. values];
    }

    /// <summary>The bar heights, one per category.</summary>
    public IReadOnlyList<double> Values { get; }
}

/// <summary>
/// A chart as a value: a title, two axes, data series and legend entries. It knows nothing of how it is
/// drawn; <see cref="ChartPlotter"/> draws it with ScottPlot.
/// </summary>
/// <remarks>
/// Build one with <see cref="Lines"/>, <see cref="Scatter"/> or <see cref="Bars"/> (which also choose the
/// colours and the legend the way every chart of Latent does), or directly from series. The constructor
/// checks that bar series have one value per category of a categorical x axis.
/// </remarks>
public sealed record Chart
{
    /// <summary>The number of colours a legend of classes shows (the palette's size): further classes share colours unlisted.</summary>
    public const int LegendClasses = 10;

    /// <summary>A chart of <paramref name="series"/> on <paramref name="x"/> and <paramref name="y"/>.</summary>
    public Chart(string title, ChartAxis x, ChartAxis y, IEnumerable<ChartSeries> series, IEnumerable<LegendEntry>? legend = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(series);
        ChartSeries[] all = [.. series];
        foreach (ChartSeries one in all)
        {
            ArgumentNullException.ThrowIfNull(one, nameof(series));
            if (one is BarSeries bars)
            {
                if (x.Categories is null)
                {
                    throw new ArgumentException($"Bar series '{bars.Name}' needs a categorical x axis (ChartAxis.Categories).", nameof(series));
                }

                if (bars.Values.Count != x.Categories.Count)
                {
                    throw new ArgumentException($"Series '{bars.Name}' has {bars.Values.Count} values for {x.Categories.Count} categories.", nameof(series));
                }
            }
        }

        Title = title;
        X = x with { Categories = x.Categories is null ? null : [.. x.Categories] };
        Y = y;
        Series = all;
        Legend = legend is null ? [] : [.. legend];
    }

    /// <summary>The title above the plot.</summary>
    public string Title { get; }

    /// <summary>The horizontal axis.</summary>
    public ChartAxis X { get; }

    /// <summary>The vertical axis.</summary>
    public ChartAxis Y { get; }

    /// <summary>The data series, drawn in order.</summary>
    public IReadOnlyList<ChartSeries> Series { get; }

    /// <summary>The legend's entries, top to bottom (empty: no legend).</summary>
    public IReadOnlyList<LegendEntry> Legend { get; }

    /// <summary>A line chart of each series against 1, 2, 3, … (or <paramref name="x"/>); a legend when there are several.</summary>
    public static Chart Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, IReadOnlyList<double>? x = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var lines = series.Select((s, i) => new LineSeries(s.Name, s.Values, x is null ? null : [.. x.Take(s.Values.Count)], colour: i)).ToArray();
        return new Chart(title, new ChartAxis(xLabel), new ChartAxis(yLabel), lines, SeriesLegend(lines));
    }

    /// <summary>
    /// A scatter plot of (x, y) points, coloured by <paramref name="labels"/> when given (with a legend of the first
    /// ten classes, named by <paramref name="classNames"/> where given, e.g. a CSV's text labels, else by number).
    /// </summary>
    public static Chart Scatter(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? labels = null, IReadOnlyList<string>? classNames = null)
    {
        var points = new ScatterSeries("points", x, y, labels);
        IEnumerable<LegendEntry> legend = labels is null
            ? []
            : labels.Distinct().Order().Take(LegendClasses)
                .Select(c => new LegendEntry(classNames is not null && c >= 0 && c < classNames.Count ? classNames[c] : c.ToString(CultureInfo.InvariantCulture), c, LegendMarker.Circle));
        return new Chart(title, new ChartAxis(xLabel), new ChartAxis(yLabel), [points], legend);
    }

    /// <summary>A grouped bar chart: one group per category, one bar per series in each group, bars rising from 0; a legend when there are several series.</summary>
    public static Chart Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var bars = series.Select((s, i) => new BarSeries(s.Name, s.Values, colour: i)).ToArray();
        return new Chart(title, new ChartAxis(string.Empty) { Categories = categories }, new ChartAxis(yLabel), bars, SeriesLegend(bars));
    }

    private static IEnumerable<LegendEntry> SeriesLegend(IReadOnlyList<ChartSeries> series) =>
        series.Count > 1 ? series.Select(s => new LegendEntry(s.Name, s.Colour, LegendMarker.Square)) : [];
}
