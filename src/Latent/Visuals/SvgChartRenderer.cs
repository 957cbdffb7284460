using System.Globalization;
using System.Security;
using System.Text;

namespace Latent.Visuals;

/// <summary>Draws a <see cref="Chart"/> as a small self-contained SVG document (640 × 420).</summary>
/// <remarks>
/// Numbers are written in the invariant culture and text is XML-escaped, so the output is well-formed XML
/// whatever the machine's locale. Points with a non-finite coordinate (or, on a logarithmic axis, one at or
/// below zero) are skipped. Colours are Matplotlib's "tab10", so class colours match what scikit-learn users
/// know. The axes span the data padded by 4 % (a categorical axis spans half a category beyond each end, and
/// a bar chart's value axis includes 0) unless the chart fixes their limits; ticks come from
/// <see cref="AxisTicks"/>.
/// </remarks>
public static class SvgChartRenderer
{
    private const int Width = 640;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 50;

    private static readonly string[] s_palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The SVG document of <paramref name="chart"/>.</summary>
    public static string Render(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var frame = Frame.Of(chart);
        var svg = new StringBuilder();
        Begin(svg, chart, frame);
        int barSeries = chart.Series.Count(s => s is BarSeries), barIndex = 0;
        foreach (ChartSeries series in chart.Series)
        {
            switch (series)
            {
                case LineSeries line:
                    DrawLine(svg, line, frame);
                    break;
                case ScatterSeries scatter:
                    DrawScatter(svg, scatter, frame);
                    break;
                case BarSeries bars:
                    DrawBars(svg, bars, barIndex++, barSeries, chart.X.Categories!, frame);
                    break;
                default:
                    throw new NotSupportedException($"The SVG renderer cannot draw a {series.GetType().Name}.");
            }
        }

        for (int e = 0; e < chart.Legend.Count; e++)
        {
            LegendEntry entry = chart.Legend[e];
            int ly = Top + 16 + (e * 16);
            string colour = Colour(entry.Colour);
            if (entry.Marker == LegendMarker.Circle)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Width - Right - 40}\" cy=\"{ly - 4}\" r=\"5\" fill=\"{colour}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 30}\" y=\"{ly}\" font-size=\"12\">{Escape(entry.Label)}</text>\n");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right - 150}\" y=\"{ly - 9}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 135}\" y=\"{ly}\" font-size=\"12\">{Escape(entry.Label)}</text>\n");
            }
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static void DrawLine(StringBuilder svg, LineSeries line, Frame frame)
    {
        var path = new StringBuilder();
        for (int i = 0; i < line.Y.Count; i++)
        {
            if (frame.TryMap(line.X[i], line.Y[i], out double px, out double py))
            {
                path.Append(path.Length == 0 ? "M" : " L").Append(Number(px)).Append(',').Append(Number(py));
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Colour(line.Colour)}\" stroke-width=\"2\"/>\n");
    }

    private static void DrawScatter(StringBuilder svg, ScatterSeries scatter, Frame frame)
    {
        for (int i = 0; i < scatter.X.Count; i++)
        {
            if (frame.TryMap(scatter.X[i], scatter.Y[i], out double px, out double py))
            {
                string colour = Colour(scatter.Classes?[i] ?? scatter.Colour);
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Number(px)}\" cy=\"{Number(py)}\" r=\"1.6\" fill=\"{colour}\" fill-opacity=\"0.6\"/>\n");
            }
        }
    }

    private static void DrawBars(StringBuilder svg, BarSeries bars, int index, int count, IReadOnlyList<string> categories, Frame frame)
    {
        double groupWidth = frame.X(1.5) - frame.X(1), barWidth = 0.8 * groupWidth * 2 / Math.Max(count, 1);
        double zero = frame.Base;
        string colour = Colour(bars.Colour);
        for (int c = 0; c < categories.Count; c++)
        {
            double value = bars.Values[c];
            if (!frame.TryMapY(value, out double y))
            {
                continue;
            }

            double left = frame.X(c + 1) - (0.8 * groupWidth) + (index * barWidth), top = Math.Min(y, zero);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Number(left)}\" y=\"{Number(top)}\" width=\"{Number(barWidth)}\" height=\"{Number(Math.Abs(y - zero))}\" fill=\"{colour}\"><title>{Escape(bars.Name)}, {Escape(categories[c])}: {value.ToString("G4", CultureInfo.InvariantCulture)}</title></rect>\n");
        }
    }

    private static void Begin(StringBuilder svg, Chart chart, Frame frame)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">{Escape(chart.Title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#444\"/>\n");
        foreach ((double position, string label) in Ticks(chart.X, frame.MinX, frame.MaxX))
        {
            string px = Number(frame.PlotX(position));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px}\" y1=\"{Height - Bottom}\" x2=\"{px}\" y2=\"{Height - Bottom + 5}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{px}\" y=\"{Height - Bottom + 18}\" font-size=\"11\" text-anchor=\"middle\">{Escape(label)}</text>\n");
        }

        foreach ((double position, string label) in Ticks(chart.Y, frame.MinY, frame.MaxY))
        {
            string py = Number(frame.PlotY(position));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left - 5}\" y1=\"{py}\" x2=\"{Left}\" y2=\"{py}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{py}\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">{Escape(label)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" font-size=\"13\" text-anchor=\"middle\">{Escape(chart.X.Label)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{Escape(chart.Y.Label)}</text>\n");
    }

    /// <summary>The ticks of an axis spanning [min, max] (in scaled units): positions in scaled units and their labels.</summary>
    private static IEnumerable<(double Position, string Label)> Ticks(ChartAxis axis, double min, double max)
    {
        if (axis.Categories is { } categories)
        {
            return categories.Select((c, i) => ((double)(i + 1), c));
        }

        if (axis.Scale == AxisScale.Logarithmic)
        {
            // Whole powers of ten where the span holds at least two; round exponents otherwise.
            double first = Math.Ceiling(min), last = Math.Floor(max);
            IEnumerable<double> exponents = last > first
                ? Enumerable.Range(0, (int)Math.Min(last - first, 30) + 1).Select(i => first + i)
                : Enumerable.Range(0, new AxisTicks(min, max).Count).Select(i => new AxisTicks(min, max)[i]);
            return exponents.Select(e => (e, Math.Pow(10, e).ToString(e == Math.Round(e) && Math.Abs(e) <= 4 ? "0.####" : "G3", CultureInfo.InvariantCulture))).ToArray();
        }

        var ticks = new AxisTicks(min, max);
        return Enumerable.Range(0, ticks.Count).Select(i => (ticks[i], ticks.Label(ticks[i]))).ToArray();
    }

    private static string Colour(int index) => s_palette[((index % s_palette.Length) + s_palette.Length) % s_palette.Length];

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    /// <summary>
    /// The plotted ranges in scaled units (log₁₀ of the values on a logarithmic axis) and their mapping to the
    /// plot area.
    /// </summary>
    private readonly struct Frame
    {
        private readonly bool _logX;
        private readonly bool _logY;

        private Frame(bool logX, bool logY, (double Min, double Max) x, (double Min, double Max) y)
        {
            (_logX, _logY) = (logX, logY);
            (MinX, MaxX) = x;
            (MinY, MaxY) = y;
        }

        public double MinX { get; }

        public double MaxX { get; }

        public double MinY { get; }

        public double MaxY { get; }

        /// <summary>Where bars start: the pixel row of 0, clamped into the plot (its bottom on a logarithmic axis).</summary>
        public double Base => _logY ? PlotY(MinY) : PlotY(Math.Clamp(0, MinY, MaxY));

        public static Frame Of(Chart chart)
        {
            bool logX = chart.X.Scale == AxisScale.Logarithmic && chart.X.Categories is null, logY = chart.Y.Scale == AxisScale.Logarithmic;
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (ChartSeries series in chart.Series)
            {
                switch (series)
                {
                    case LineSeries line:
                        xs.AddRange(line.X);
                        ys.AddRange(line.Y);
                        break;
                    case ScatterSeries scatter:
                        xs.AddRange(scatter.X);
                        ys.AddRange(scatter.Y);
                        break;
                    case BarSeries bars:
                        ys.Add(0);
                        ys.AddRange(bars.Values);
                        break;
                }
            }

            (double, double) x = chart.X.Categories is { } categories
                ? Range([0.5, categories.Count + 0.5], logX, pad: false, null, null)
                : Range(xs, logX, pad: true, chart.X.Min, chart.X.Max);
            return new Frame(logX, logY, x, Range(ys, logY, pad: true, chart.Y.Min, chart.Y.Max));
        }

        /// <summary>The pixel column of the value <paramref name="value"/>.</summary>
        public double X(double value) => PlotX(Scale(value, _logX));

        public double PlotX(double scaled) => Left + ((scaled - MinX) / (MaxX - MinX) * (Width - Left - Right));

        public double PlotY(double scaled) => Height - Bottom - ((scaled - MinY) / (MaxY - MinY) * (Height - Top - Bottom));

        public bool TryMapY(double y, out double py)
        {
            double sy = Scale(y, _logY);
            py = double.IsFinite(sy) ? PlotY(sy) : double.NaN;
            return double.IsFinite(sy);
        }

        public bool TryMap(double x, double y, out double px, out double py)
        {
            double sx = Scale(x, _logX);
            px = double.IsFinite(sx) ? PlotX(sx) : double.NaN;
            return TryMapY(y, out py) && double.IsFinite(sx);
        }

        private static double Scale(double value, bool log) => !log ? value : value > 0 ? Math.Log10(value) : double.NaN;

        private static (double Min, double Max) Range(IReadOnlyList<double> values, bool log, bool pad, double? fixedMin, double? fixedMax)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double value in values)
            {
                double v = Scale(value, log);
                if (double.IsFinite(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            if (!double.IsFinite(min))
            {
                (min, max) = (0, 1);
            }
            else
            {
                double margin = !pad && max > min ? 0 : max > min ? 0.04 * (max - min) : Math.Max(Math.Abs(min) * 0.1, 1);
                (min, max) = (min - margin, max + margin);
            }

            // Fixed limits replace the data's (a limit a logarithmic axis cannot show is ignored).
            double lo = fixedMin is double a ? Scale(a, log) : double.NaN, hi = fixedMax is double b ? Scale(b, log) : double.NaN;
            min = double.IsFinite(lo) ? lo : min;
            max = double.IsFinite(hi) ? hi : max;
            return max > min ? (min, max) : (min, min + 1);
        }
    }
}
