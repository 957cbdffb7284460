using System.Globalization;
using System.Security;
using System.Text;

namespace Latent.Visuals;

/// <summary>Small self-contained SVG charts: line charts of series, grouped bar charts and scatter plots coloured by label.</summary>
/// <remarks>
/// Numbers are written in the invariant culture and text is XML-escaped, so the output is well-formed XML
/// whatever the machine's locale. Non-finite values are skipped.
/// </remarks>
public static class SvgChart
{
    private const int Width = 640;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 50;

    // The ten colours of Matplotlib's "tab10", so label colours match what scikit-learn users know.
    private static readonly string[] s_palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>A line chart of each series against 1, 2, 3, … (or <paramref name="x"/>).</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, IReadOnlyList<double>? x = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var xs = new List<double>();
        var ys = new List<double>();
        foreach ((_, IReadOnlyList<double> values) in series)
        {
            for (int i = 0; i < values.Count; i++)
            {
                xs.Add(x?[i] ?? i + 1);
                ys.Add(values[i]);
            }
        }

        var frame = new Frame(xs, ys);
        var svg = Begin(title, xLabel, yLabel, frame);
        for (int s = 0; s < series.Count; s++)
        {
            IReadOnlyList<double> values = series[s].Values;
            var path = new StringBuilder();
            for (int i = 0; i < values.Count; i++)
            {
                double xi = x?[i] ?? i + 1;
                if (!double.IsFinite(values[i]) || !double.IsFinite(xi))
                {
                    continue;
                }

                path.Append(path.Length == 0 ? "M" : " L").Append(Number(frame.X(xi))).Append(',').Append(Number(frame.Y(values[i])));
            }

            string colour = s_palette[s % s_palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            if (series.Count > 1)
            {
                int ly = Top + 16 + (s * 16);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right - 150}\" y=\"{ly - 9}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 135}\" y=\"{ly}\" font-size=\"12\">{Escape(series[s].Name)}</text>\n");
            }
        }

        return End(svg);
    }

    /// <summary>A scatter plot of (x, y) points, coloured by <paramref name="labels"/> when given.</summary>
    public static string Scatter(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || (labels is not null && labels.Count != x.Count))
        {
            throw new ArgumentException($"The scatter has {x.Count} x values, {y.Count} y values and {labels?.Count ?? x.Count} labels; they must match.", nameof(y));
        }

        var frame = new Frame(x, y);
        var svg = Begin(title, xLabel, yLabel, frame);
        for (int i = 0; i < x.Count; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                continue;
            }

            string colour = labels is null ? s_palette[0] : s_palette[((labels[i] % s_palette.Length) + s_palette.Length) % s_palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Number(frame.X(x[i]))}\" cy=\"{Number(frame.Y(y[i]))}\" r=\"1.6\" fill=\"{colour}\" fill-opacity=\"0.6\"/>\n");
        }

        if (labels is not null)
        {
            int[] distinct = labels.Distinct().Order().Take(s_palette.Length).ToArray();
            for (int s = 0; s < distinct.Length; s++)
            {
                int ly = Top + 16 + (s * 16);
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Width - Right - 40}\" cy=\"{ly - 4}\" r=\"5\" fill=\"{s_palette[((distinct[s] % s_palette.Length) + s_palette.Length) % s_palette.Length]}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 30}\" y=\"{ly}\" font-size=\"12\">{distinct[s]}</text>\n");
            }
        }

        return End(svg);
    }

    /// <summary>
    /// A grouped bar chart: one group per category, one bar per series in each group, bars rising from 0.
    /// </summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        foreach ((string name, IReadOnlyList<double> values) in series)
        {
            if (values.Count != categories.Count)
            {
                throw new ArgumentException($"Series '{name}' has {values.Count} values for {categories.Count} categories.", nameof(series));
            }
        }

        var ys = new List<double> { 0 };
        foreach ((_, IReadOnlyList<double> values) in series)
        {
            ys.AddRange(values);
        }

        // Categories sit at x = 1 … n; the frame spans half a group beyond each end.
        var frame = new Frame([0.5, categories.Count + 0.5], ys, padX: false);
        var svg = Begin(title, string.Empty, yLabel, frame, categories);
        double groupWidth = frame.X(1.5) - frame.X(1), barWidth = 0.8 * groupWidth * 2 / Math.Max(series.Count, 1);
        double zero = frame.Y(Math.Clamp(0, frame.MinY, frame.MaxY));
        for (int s = 0; s < series.Count; s++)
        {
            string colour = s_palette[s % s_palette.Length];
            for (int c = 0; c < categories.Count; c++)
            {
                double value = series[s].Values[c];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                double left = frame.X(c + 1) - (0.8 * groupWidth) + (s * barWidth), top = Math.Min(frame.Y(value), zero);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Number(left)}\" y=\"{Number(top)}\" width=\"{Number(barWidth)}\" height=\"{Number(Math.Abs(frame.Y(value) - zero))}\" fill=\"{colour}\"><title>{Escape(series[s].Name)}, {Escape(categories[c])}: {value.ToString("G4", CultureInfo.InvariantCulture)}</title></rect>\n");
            }

            if (series.Count > 1)
            {
                int ly = Top + 16 + (s * 16);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right - 150}\" y=\"{ly - 9}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 135}\" y=\"{ly}\" font-size=\"12\">{Escape(series[s].Name)}</text>\n");
            }
        }

        return End(svg);
    }

    private static StringBuilder Begin(string title, string xLabel, string yLabel, Frame frame, IReadOnlyList<string>? categories = null)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#444\"/>\n");
        var xTicks = new AxisTicks(frame.MinX, frame.MaxX);
        for (int t = 0; t < (categories?.Count ?? xTicks.Count); t++)
        {
            double xv = categories is null ? xTicks[t] : t + 1;
            string px = Number(frame.X(xv)), label = categories is null ? xTicks.Label(xv) : Escape(categories[t]);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px}\" y1=\"{Height - Bottom}\" x2=\"{px}\" y2=\"{Height - Bottom + 5}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{px}\" y=\"{Height - Bottom + 18}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>\n");
        }

        var yTicks = new AxisTicks(frame.MinY, frame.MaxY);
        for (int t = 0; t < yTicks.Count; t++)
        {
            double yv = yTicks[t];
            string py = Number(frame.Y(yv));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left - 5}\" y1=\"{py}\" x2=\"{Left}\" y2=\"{py}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{py}\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">{yTicks.Label(yv)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" font-size=\"13\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>\n");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    /// <summary>The data range (padded by 4 %) and its mapping to the plot area.</summary>
    private readonly struct Frame
    {
        public Frame(IReadOnlyList<double> xs, IReadOnlyList<double> ys, bool padX = true)
        {
            (MinX, MaxX) = Range(xs, padX);
            (MinY, MaxY) = Range(ys, pad: true);
        }

        public double MinX { get; }

        public double MaxX { get; }

        public double MinY { get; }

        public double MaxY { get; }

        public double X(double value) => Left + ((value - MinX) / (MaxX - MinX) * (Width - Left - Right));

        public double Y(double value) => Height - Bottom - ((value - MinY) / (MaxY - MinY) * (Height - Top - Bottom));

        private static (double Min, double Max) Range(IReadOnlyList<double> values, bool pad)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in values)
            {
                if (double.IsFinite(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            if (!double.IsFinite(min))
            {
                return (0, 1);
            }

            double margin = !pad && max > min ? 0 : max > min ? 0.04 * (max - min) : Math.Max(Math.Abs(min) * 0.1, 1);
            return (min - margin, max + margin);
        }
    }
}
