using Latent.Data;
using Latent.Tensors;
namespace Latent.Visuals;

/// <summary>Tiles images into one picture: a grid with padding, for data sets, reconstructions and samples.</summary>
/// <remarks>
/// Images are rows of c·h·w values in [0, 1] (values outside are clipped), channel-major; grey (c = 1) or
/// RGB (c = 3). A sample v becomes the byte round(255·v). The grid is <c>columns</c> wide (default ⌈√n⌉),
/// with <c>padding</c> pixels of the background between and around the tiles.
/// </remarks>
public static class ImageGrid
{
    /// <summary>Composes <paramref name="count"/> images of <paramref name="shape"/> from <paramref name="images"/>.</summary>
    public static PngImage Compose(ReadOnlySpan<float> images, int count, ImageShape shape, int columns = 0, int padding = 2, float background = 0.5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (shape.Channels is not (1 or 3))
        {
            throw new ArgumentException($"An image grid holds grey or RGB images, not {shape.Channels} channels.", nameof(shape));
        }

        if ((long)count * shape.Size > images.Length)
        {
            throw new ArgumentException($"{count} images of {shape} need {(long)count * shape.Size} values, not {images.Length}.", nameof(images));
        }

        if (columns == 0)
        {
            columns = (int)Math.Ceiling(Math.Sqrt(count));
        }

        columns = Math.Min(columns, count);
        int rows = (count + columns - 1) / columns;
        int width = padding + (columns * (shape.Width + padding));
        int height = padding + (rows * (shape.Height + padding));
        var color = shape.Channels == 1 ? PngColor.Grey : PngColor.Rgb;
        int channels = shape.Channels;
        var pixels = new byte[(long)width * height * channels];
        pixels.AsSpan().Fill(ToByte(background));
        int plane = shape.Height * shape.Width;
        for (int n = 0; n < count; n++)
        {
            var image = images.Slice(n * shape.Size, shape.Size);
            int left = padding + ((n % columns) * (shape.Width + padding));
            int top = padding + ((n / columns) * (shape.Height + padding));
            for (int y = 0; y < shape.Height; y++)
            {
                for (int x = 0; x < shape.Width; x++)
                {
                    int o = ((((top + y) * width) + left + x) * channels);
                    for (int c = 0; c < channels; c++)
                    {
                        pixels[o + c] = ToByte(image[(c * plane) + (y * shape.Width) + x]);
                    }
                }
            }
        }

        return new PngImage(width, height, color, pixels);
    }

    /// <summary>Composes the rows <paramref name="indices"/> of <paramref name="source"/> and writes the PNG, atomically.</summary>
    /// <remarks>The rows are scaled from their observed range to [0, 1] first, so raw 0..255 pixels show as they should.</remarks>
    public static void Write(string path, IFeatureSource source, ReadOnlySpan<int> indices, int columns = 0, int padding = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(source);
        if (source.ImageShape is not { } shape)
        {
            throw new ArgumentException($"{source.Name} is not a set of images (it has vectors of {source.Dimension}).", nameof(source));
        }

        if (indices.Length == 0)
        {
            throw new ArgumentException("No images to show.", nameof(indices));
        }

        var values = new float[indices.Length * source.Dimension];
        source.CopyRows(indices, values);
        float min = TensorPrimitives.Min<float>(values), max = TensorPrimitives.Max<float>(values);
        if (min < 0f || max > 1f)
        {
            TensorPrimitives.Subtract(values, min, values);
            TensorPrimitives.Multiply(values, max > min ? 1f / (max - min) : 0f, values);
        }

        if (shape.Channels is 4)
        {
            throw new ArgumentException($"{source.Name} has 4-channel images; drop the alpha channel to show them.", nameof(source));
        }

        Png.Write(path, Compose(values, indices.Length, shape, columns, padding));
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
}
