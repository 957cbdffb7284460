using Latent.Data;
using Latent.Tensors;
using ScottPlot;

namespace Latent.Visuals;

/// <summary>
/// Latent's look for ScottPlot charts (one palette, one font, one size of text), and the drawing helpers
/// that several figures need: class-coloured scatters with a legend, image grids as panels, covariance
/// ellipses and heatmaps with a colour bar.
/// </summary>
public static class PlotStyle
{
    /// <summary>Matplotlib's "tab10" palette, which readers of the papers know: class c takes colour c mod 10.</summary>
    public static IReadOnlyList<Color> Palette { get; } =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"), Color.FromHex("#9467bd"),
        Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"), Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    /// <summary>The font every chart uses (DejaVu Sans is on every Debian; Skia falls back to another sans face elsewhere).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>The colour of class (or series) <paramref name="index"/>.</summary>
    public static Color Colour(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>Applies Latent's style to <paramref name="plot"/> and returns it.</summary>
    public static Plot Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Font.Set(FontName);
        plot.Axes.Title.Label.FontSize = 15;
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Left.Label.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Legend.FontSize = 11;
        return plot;
    }

    /// <summary>
    /// Points at (x, y) coloured by class, one scatter per class so the legend lists the classes
    /// (named by <paramref name="classNames"/> where given, else by number).
    /// </summary>
    public static void ClassScatter(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> classes, IReadOnlyList<string>? classNames = null, float markerSize = 3)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(classes);
        if (x.Count != y.Count || classes.Count != x.Count)
        {
            throw new ArgumentException($"The scatter has {x.Count} x values, {y.Count} y values and {classes.Count} classes; they must match.", nameof(classes));
        }

        foreach (int c in classes.Distinct().Order())
        {
            var members = Enumerable.Range(0, x.Count).Where(i => classes[i] == c).ToArray();
            var points = plot.Add.ScatterPoints(members.Select(i => x[i]).ToArray(), members.Select(i => y[i]).ToArray(), Colour(c));
            points.MarkerSize = markerSize;
            points.LegendText = classNames is not null && c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        plot.ShowLegend(Alignment.UpperRight);
    }

    /// <summary>
    /// Draws <paramref name="image"/> filling <paramref name="plot"/> (axes, ticks and grid hidden, pixels kept
    /// square), with <paramref name="title"/> above: how an image grid becomes one panel of a figure.
    /// </summary>
    public static void ImagePanel(Plot plot, PngImage image, string title)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(image);
        var picture = new Image(Png.Encode(image));
        var rect = plot.Add.ImageRect(picture, new CoordinateRect(0, image.Width, 0, image.Height));
        rect.AntiAlias = false;
        plot.Axes.SetLimits(0, image.Width, 0, image.Height);
        plot.Axes.SquareUnits();
        plot.HideAxesAndGrid();
        plot.Title(title);
    }

    /// <summary>Image grid of <paramref name="count"/> images (rows of <paramref name="images"/>) as one panel.</summary>
    public static void ImageGridPanel(Plot plot, ReadOnlySpan<float> images, int count, ImageShape shape, string title, int columns = 0) =>
        ImagePanel(plot, ImageGrid.Compose(images, count, shape, columns), title);

    /// <summary>
    /// The ellipse where a 2-D Gaussian's density is <paramref name="standardDeviations"/> standard deviations
    /// from its mean: the axes are the covariance's eigenvectors, the radii √λ times the count.
    /// </summary>
    public static ScottPlot.Plottables.Ellipse CovarianceEllipse(Plot plot, double meanX, double meanY, double varianceX, double covariance, double varianceY, Color colour, double standardDeviations = 2)
    {
        ArgumentNullException.ThrowIfNull(plot);
        double half = (varianceX + varianceY) / 2, gap = Math.Sqrt((((varianceX - varianceY) / 2) * ((varianceX - varianceY) / 2)) + (covariance * covariance));
        double major = half + gap, minor = Math.Max(half - gap, 0);
        double angle = Math.Atan2(major - varianceX, covariance);
        if (covariance == 0)
        {
            angle = varianceX >= varianceY ? 0 : Math.PI / 2;
        }

        var ellipse = plot.Add.Ellipse(meanX, meanY, standardDeviations * Math.Sqrt(major), standardDeviations * Math.Sqrt(minor), Angle.FromRadians(angle));
        ellipse.LineColor = colour;
        ellipse.LineWidth = 2;
        ellipse.FillColor = colour.WithAlpha(0.12);
        return ellipse;
    }

    /// <summary>
    /// A heatmap of <paramref name="values"/> (row 0 at the top) spanning x in [<paramref name="xMin"/>, <paramref name="xMax"/>]
    /// and y in [<paramref name="yMin"/>, <paramref name="yMax"/>], with a colour bar on the right labelled <paramref name="colourLabel"/>.
    /// </summary>
    public static ScottPlot.Plottables.Heatmap Heatmap(Plot plot, double[,] values, double xMin, double xMax, double yMin, double yMax, string? colourLabel = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(values);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(xMin, xMax, yMin, yMax);
        var bar = plot.Add.ColorBar(heatmap, Edge.Right);
        if (colourLabel is not null)
        {
            bar.Label = colourLabel;
        }

        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        return heatmap;
    }
}
