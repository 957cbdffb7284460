namespace Latent.Data;

/// <summary>The colour layouts of an 8-bit image, by channel count.</summary>
public enum PngColor
{
    /// <summary>One grey channel.</summary>
    Grey = 1,
    /// <summary>Grey and alpha.</summary>
    GreyAlpha = 2,
    /// <summary>Red, green, blue.</summary>
    Rgb = 3,
    /// <summary>Red, green, blue, alpha.</summary>
    Rgba = 4,
}

/// <summary>An 8-bit image: rows top to bottom, pixels left to right, channels interleaved.</summary>
public sealed class PngImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied), which must hold width·height·channels bytes.</summary>
    public PngImage(int width, int height, PngColor color, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (color is < PngColor.Grey or > PngColor.Rgba)
        {
            throw new ArgumentOutOfRangeException(nameof(color), color, "Grey, GreyAlpha, Rgb or Rgba.");
        }

        if ((long)width * height * (int)color != pixels.Length)
        {
            throw new ArgumentException($"A {width}×{height} {color} image has {(long)width * height * (int)color} bytes, not {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Color = color;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The colour layout, which is also the number of channels per pixel.</summary>
    public PngColor Color { get; }

    /// <summary>Number of interleaved channels (1 to 4).</summary>
    public int Channels => (int)Color;

    /// <summary>The samples, 0..255.</summary>
    public byte[] Pixels { get; }

    /// <summary>Sample of <paramref name="channel"/> at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public byte this[int x, int y, int channel] => Pixels[(((y * Width) + x) * Channels) + channel];
}
