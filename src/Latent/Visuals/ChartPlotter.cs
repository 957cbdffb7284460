using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Latent.Visuals;

/// <summary>Draws a <see cref="Chart"/> value with ScottPlot: into a <see cref="Plot"/> or as a one-panel <see cref="PlotFigure"/>.</summary>
/// <remarks>
/// <para>
/// Each line and each set of bars becomes one plottable; a scatter coloured by class becomes one plottable per
/// class (so the colours are ScottPlot's own), a plain scatter one. Colours are <see cref="PlotStyle.Colour"/>
/// of the series' (or class's) index. The legend is the chart's <see cref="Chart.Legend"/>, drawn as ScottPlot's
/// manual legend items: inside the upper right corner for lines, beside the plot for classes and bars (which
/// fill the corner).
/// </para>
/// <para>
/// A logarithmic axis plots log₁₀ of the values (values at or below zero, like non-finite ones, are skipped)
/// with ScottPlot's log-scale ticks: a major tick per power of ten labelled with the power's value and minor
/// ticks at 2…9 times it. A categorical axis puts category <c>i</c> at <c>i + 1</c>, labelled with its name,
/// and spans half a category beyond each end; bar series stand side by side in each category. Fixed limits
/// replace the data's (a limit a logarithmic axis cannot show is ignored). Tick labels are written in the
/// invariant culture, whatever the machine's locale.
/// </para>
/// </remarks>
public static class ChartPlotter
{
    /// <summary>The width in pixels of a chart's figure unless told otherwise.</summary>
    public const int Width = 640;

    /// <summary>The height in pixels of a chart's figure unless told otherwise.</summary>
    public const int Height = 420;

    /// <summary>The share of a category that a group of bars fills.</summary>
    private const double GroupWidth = 0.8;

    /// <summary>A new plot in Latent's style showing <paramref name="chart"/>.</summary>
    public static Plot ToPlot(Chart chart) => Draw(chart, PlotStyle.Apply(new Plot()));

    /// <summary>A one-panel figure of <paramref name="width"/> × <paramref name="height"/> pixels showing <paramref name="chart"/>.</summary>
    public static PlotFigure ToFigure(Chart chart, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figure = PlotFigure.Single(width, height);
        Draw(chart, figure.Panels[0]);
        return figure;
    }

    /// <summary>Draws <paramref name="chart"/> into <paramref name="plot"/> (a panel of a larger figure, say) and returns the plot.</summary>
    public static Plot Draw(Chart chart, Plot plot)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(plot);
        bool logX = chart.X.Scale == AxisScale.Logarithmic && chart.X.Categories is null, logY = chart.Y.Scale == AxisScale.Logarithmic;
        plot.Title(chart.Title);
        plot.XLabel(chart.X.Label);
        plot.YLabel(chart.Y.Label);

        int barSeries = chart.Series.Count(s => s is BarSeries), barIndex = 0;
        double barBase = logY ? BarBase(chart.Series) : 0;
        foreach (ChartSeries series in chart.Series)
        {
            switch (series)
            {
                case LineSeries line:
                    AddLine(plot, line, logX, logY);
                    break;
                case ScatterSeries scatter:
                    AddScatter(plot, scatter, logX, logY);
                    break;
                case BarSeries bars:
                    AddBars(plot, bars, barIndex++, barSeries, barBase, logY);
                    break;
                default:
                    throw new NotSupportedException($"The chart plotter cannot draw a {series.GetType().Name}.");
            }
        }

        AddLegend(plot, chart);
        AxisLimits limits = SetLimits(plot, chart, logX, logY, barSeries > 0);
        SetTicks(plot.Axes.Bottom, chart.X, logX, limits.Right - limits.Left, WholeNumbers(chart.Series.SelectMany(XValues)));
        SetTicks(plot.Axes.Left, chart.Y, logY, limits.Top - limits.Bottom, wholeNumbers: false);
        // A logarithmic axis shows grid lines at its minor ticks too (2…9 times each power of ten).
        foreach (GridStyle grid in new[] { (logX, plot.Grid.XAxisStyle), (logY, plot.Grid.YAxisStyle) }.Where(a => a.Item1).Select(a => a.Item2))
        {
            grid.MinorLineStyle.Color = Colors.Black.WithOpacity(0.05);
            grid.MinorLineStyle.Width = 1;
        }

        return plot;
    }

    /// <summary>How a tick label reads: round values plainly, very large or small ones in scientific notation, in the invariant culture.</summary>
    internal static string TickLabel(double value)
    {
        double rounded = Math.Round(value, 9);
        double magnitude = Math.Abs(rounded);
        return magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-4)
            ? rounded.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : rounded.ToString("0.#########", CultureInfo.InvariantCulture);
    }

    /// <summary>The label of a tick at <paramref name="exponent"/> on a logarithmic axis: the value 10^exponent.</summary>
    internal static string PowerLabel(double exponent) =>
        Math.Pow(10, exponent).ToString(exponent == Math.Round(exponent) && Math.Abs(exponent) <= 4 ? "0.####" : "G3", CultureInfo.InvariantCulture);

    /// <summary>The x values of a line or scatter (none for bars, whose x axis is categorical).</summary>
    private static IEnumerable<double> XValues(ChartSeries series) => series switch
    {
        LineSeries line => line.X,
        ScatterSeries scatter => scatter.X,
        _ => [],
    };

    /// <summary>Whether there are values and every finite one is a whole number (epochs, iterations, components): their axis needs no ticks between.</summary>
    private static bool WholeNumbers(IEnumerable<double> values)
    {
        bool any = false;
        foreach (double value in values.Where(double.IsFinite))
        {
            if (value != Math.Round(value))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static double Scale(double value, bool log) => !log ? value : value > 0 ? Math.Log10(value) : double.NaN;

    /// <summary>The points of (x, y) that can be drawn, in drawing units.</summary>
    private static (double[] X, double[] Y) Drawable(IReadOnlyList<double> x, IReadOnlyList<double> y, bool logX, bool logY, Func<int, bool>? keep = null)
    {
        var xs = new List<double>(x.Count);
        var ys = new List<double>(y.Count);
        for (int i = 0; i < x.Count; i++)
        {
            double sx = Scale(x[i], logX), sy = Scale(y[i], logY);
            if (double.IsFinite(sx) && double.IsFinite(sy) && (keep is null || keep(i)))
            {
                xs.Add(sx);
                ys.Add(sy);
            }
        }

        return ([.. xs], [.. ys]);
    }

    private static void AddLine(Plot plot, LineSeries line, bool logX, bool logY)
    {
        (double[] xs, double[] ys) = Drawable(line.X, line.Y, logX, logY);
        var scatter = plot.Add.Scatter(xs, ys, PlotStyle.Colour(line.Colour));
        scatter.LineWidth = 2;

        // Markers show where the few values of a short curve lie; on a long one they would only thicken it.
        scatter.MarkerSize = xs.Length <= 30 ? 5 : 0;
    }

    private static void AddScatter(Plot plot, ScatterSeries scatter, bool logX, bool logY)
    {
        if (scatter.Classes is not { } classes)
        {
            (double[] xs, double[] ys) = Drawable(scatter.X, scatter.Y, logX, logY);
            Points(plot, xs, ys, scatter.Colour);
            return;
        }

        foreach (int c in classes.Distinct().Order())
        {
            (double[] xs, double[] ys) = Drawable(scatter.X, scatter.Y, logX, logY, i => classes[i] == c);
            Points(plot, xs, ys, c);
        }
    }

    private static void Points(Plot plot, double[] xs, double[] ys, int colour)
    {
        var points = plot.Add.ScatterPoints(xs, ys, PlotStyle.Colour(colour).WithAlpha(0.7));
        points.MarkerSize = 3;
    }

    /// <summary>Where bars rise from on a logarithmic axis (which has no 0): the whole power of ten at or below the smallest bar.</summary>
    private static double BarBase(IEnumerable<ChartSeries> series)
    {
        double lowest = series.OfType<BarSeries>().SelectMany(b => b.Values).Select(v => Scale(v, log: true)).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        return Math.Floor(lowest);
    }

    private static void AddBars(Plot plot, BarSeries series, int index, int count, double barBase, bool logY)
    {
        double width = GroupWidth / count;
        var bars = new List<Bar>();
        for (int c = 0; c < series.Values.Count; c++)
        {
            double value = Scale(series.Values[c], logY);
            if (double.IsFinite(value))
            {
                bars.Add(new Bar
                {
                    Position = c + 1 - (GroupWidth / 2) + ((index + 0.5) * width),
                    Value = value,
                    ValueBase = barBase,
                    Size = width,
                    FillColor = PlotStyle.Colour(series.Colour),
                    LineWidth = 0,
                });
            }
        }

        plot.Add.Bars(bars);
    }

    private static void AddLegend(Plot plot, Chart chart)
    {
        if (chart.Legend.Count == 0)
        {
            return;
        }

        foreach (LegendEntry entry in chart.Legend)
        {
            Color colour = PlotStyle.Colour(entry.Colour);
            var item = new LegendItem { LabelText = entry.Label };
            if (entry.Marker == LegendMarker.Circle)
            {
                item.MarkerShape = MarkerShape.FilledCircle;
                item.MarkerSize = 8;
                item.MarkerFillColor = colour;
                item.MarkerLineColor = colour;
            }
            else
            {
                item.FillColor = colour;
            }

            plot.Legend.ManualItems.Add(item);
        }

        // Lines leave a corner free, where the legend goes; classes and bars fill the plot, so their legend sits beside it.
        if (chart.Series.All(s => s is LineSeries))
        {
            plot.ShowLegend(EmptiestCorner(plot));
        }
        else
        {
            plot.ShowLegend(Edge.Right);
        }
    }

    /// <summary>
    /// The corner of the plot that the fewest lines pass through (the upper right one on a tie): where a legend
    /// hides the least. The lines are sampled at their points and between them, in axis-relative units.
    /// </summary>
    private static Alignment EmptiestCorner(Plot plot)
    {
        var samples = new List<(double X, double Y)>();
        foreach (ScottPlot.Plottables.Scatter line in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>())
        {
            var points = line.Data.GetScatterPoints();
            for (int i = 0; i < points.Count; i++)
            {
                for (int step = 0; step < (i + 1 < points.Count ? 8 : 1); step++)
                {
                    double t = step / 8.0;
                    Coordinates next = i + 1 < points.Count ? points[i + 1] : points[i];
                    samples.Add((points[i].X + (t * (next.X - points[i].X)), points[i].Y + (t * (next.Y - points[i].Y))));
                }
            }
        }

        if (samples.Count == 0)
        {
            return Alignment.UpperRight;
        }

        double left = samples.Min(p => p.X), right = samples.Max(p => p.X), bottom = samples.Min(p => p.Y), top = samples.Max(p => p.Y);
        double width = Math.Max(right - left, 1e-300), height = Math.Max(top - bottom, 1e-300);
        int Count(bool upper, bool rightSide) => samples.Count(p =>
            (rightSide ? (p.X - left) / width >= 0.55 : (p.X - left) / width <= 0.45)
            && (upper ? (p.Y - bottom) / height >= 0.7 : (p.Y - bottom) / height <= 0.3));
        (Alignment Corner, int Lines)[] corners =
        [
            (Alignment.UpperRight, Count(upper: true, rightSide: true)), (Alignment.UpperLeft, Count(upper: true, rightSide: false)),
            (Alignment.LowerRight, Count(upper: false, rightSide: true)), (Alignment.LowerLeft, Count(upper: false, rightSide: false)),
        ];
        return corners.MinBy(c => c.Lines).Corner;
    }

    /// <summary>
    /// Category names, log-scale ticks (whole powers of ten when the axis spans at least one) or round numbers
    /// (whole ones only when the data are whole numbers spanning at least two).
    /// </summary>
    private static void SetTicks(IAxis axis, ChartAxis chartAxis, bool log, double span, bool wholeNumbers)
    {
        if (chartAxis.Categories is { } categories)
        {
            axis.SetTicks([.. Enumerable.Range(1, categories.Count).Select(i => (double)i)], [.. categories]);
            return;
        }

        axis.TickGenerator = log
            ? new NumericAutomatic { MinorTickGenerator = new LogMinorTickGenerator(), IntegerTicksOnly = span >= 1, LabelFormatter = PowerLabel }
            : new NumericAutomatic { LabelFormatter = TickLabel, IntegerTicksOnly = wholeNumbers && span >= 2 };
    }

    /// <summary>Fits the axes to the data with small margins, then applies the chart's categories and fixed limits; returns the limits.</summary>
    private static AxisLimits SetLimits(Plot plot, Chart chart, bool logX, bool logY, bool bars)
    {
        if (bars && chart.Series.OfType<BarSeries>().SelectMany(b => b.Values).Where(double.IsFinite).All(v => v >= 0))
        {
            // Bars rising from 0 (or the log axis's base) stand on the bottom of the plot.
            plot.Axes.Margins(0.02, 0.02, 0, 0.08);
        }
        else if (chart.Series.All(s => s is LineSeries))
        {
            plot.Axes.Margins(0.03, 0.03, 0.06, 0.06);
        }

        plot.Axes.AutoScale();
        AxisLimits data = plot.Axes.GetLimits();
        (double left, double right) = chart.X.Categories is { } categories
            ? (0.5, categories.Count + 0.5)
            : Fixed(data.Left, data.Right, chart.X, logX);
        (double bottom, double top) = Fixed(data.Bottom, data.Top, chart.Y, logY);
        plot.Axes.SetLimits(left, right, bottom, top);
        return new AxisLimits(left, right, bottom, top);
    }

    /// <summary>The axis's fixed limits (in drawing units) where it has them, the data's elsewhere.</summary>
    private static (double Min, double Max) Fixed(double min, double max, ChartAxis axis, bool log)
    {
        double lo = axis.Min is double a ? Scale(a, log) : double.NaN, hi = axis.Max is double b ? Scale(b, log) : double.NaN;
        min = double.IsFinite(lo) ? lo : min;
        max = double.IsFinite(hi) ? hi : max;
        return max > min ? (min, max) : (min, min + 1);
    }
}
