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

/// <summary>A chart, written as SVG.</summary>
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

    /// <inheritdoc/>
    public override void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(SvgChartRenderer.Render(Chart)));
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
