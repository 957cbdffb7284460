using System.Text;
using Latent.Data;
using Latent.Serialization;

namespace Latent.Visuals;

/// <summary>
/// A picture to show or write: a chart (as a value) or an image grid, with a name that doubles as its file
/// name's stem and an optional caption. Commands write pictures to files; the report inlines them.
/// </summary>
public abstract record Picture
{
    private protected Picture(string name, string? caption)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"A picture's name is a file name without folders, not '{name}'.", nameof(name));
        }

        Name = name;
        Caption = caption;
    }

    /// <summary>The picture's name: its file name without the extension (e.g. "explained-variance").</summary>
    public string Name { get; }

    /// <summary>What the picture shows, in a sentence (null: nothing to add to the title).</summary>
    public string? Caption { get; }

    /// <summary>The file name the picture is written to: its name and the format's extension.</summary>
    public abstract string FileName { get; }

    /// <summary>Writes every picture into <paramref name="directory"/> (atomically), in order; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(IEnumerable<Picture> pictures, string directory)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        return [.. pictures.Select(p => p.Write(directory))];
    }

    /// <summary>Writes the picture into <paramref name="directory"/> as <see cref="FileName"/>, atomically; returns its path.</summary>
    public string Write(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, FileName);
        WriteTo(path);
        return path;
    }

    /// <summary>Writes the picture to <paramref name="path"/>, atomically.</summary>
    public abstract void WriteTo(string path);
}

/// <summary>A chart, drawn with ScottPlot (<see cref="ChartPlotter"/>) and written as SVG (or, on request, PNG).</summary>
public sealed record ChartPicture : Picture
{
    /// <summary>The chart <paramref name="chart"/> named <paramref name="name"/>.</summary>
    public ChartPicture(string name, Chart chart, string? caption = null)
        : base(name, caption)
    {
        ArgumentNullException.ThrowIfNull(chart);
        Chart = chart;
    }

    /// <summary>The chart.</summary>
    public Chart Chart { get; }

    /// <inheritdoc/>
    public override string FileName => Name + ".svg";

    /// <summary>The chart as an SVG document of <see cref="ChartPlotter.Width"/> × <see cref="ChartPlotter.Height"/>.</summary>
    public string ToSvg() => ChartPlotter.ToFigure(Chart).ToSvg();

    /// <summary>The chart as PNG bytes of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public byte[] ToPng(int width = ChartPlotter.Width, int height = ChartPlotter.Height) => ChartPlotter.ToFigure(Chart, width, height).ToPng();

    /// <inheritdoc/>
    public override void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToSvg()));
    }

    /// <summary>Writes the chart as PNG into <paramref name="directory"/> (as its name with ".png"), atomically; returns its path.</summary>
    public string WritePng(string directory, int width = ChartPlotter.Width, int height = ChartPlotter.Height)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, Name + ".png");
        AtomicFile.WriteAllBytes(path, ToPng(width, height));
        return path;
    }
}

/// <summary>An image (an image grid, say), written as PNG.</summary>
public sealed record ImagePicture : Picture
{
    /// <summary>The image <paramref name="image"/> named <paramref name="name"/>, shown at <paramref name="zoom"/> × its size on a page.</summary>
    public ImagePicture(string name, PngImage image, string? caption = null, int zoom = 1)
        : base(name, caption)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zoom);
        Image = image;
        Zoom = zoom;
    }

    /// <summary>The pixels.</summary>
    public PngImage Image { get; }

    /// <summary>How many screen pixels a pixel takes on a page (files keep the image's own size).</summary>
    public int Zoom { get; }

    /// <inheritdoc/>
    public override string FileName => Name + ".png";

    /// <inheritdoc/>
    public override void WriteTo(string path) => Png.Write(path, Image);
}
