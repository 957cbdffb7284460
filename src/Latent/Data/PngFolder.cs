using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Loads a folder of PNG images as a data set: with sub-folders, each sub-folder is a class (labels are
/// the sub-folder names in ordinal order, 0, 1, …); without, the images are unlabelled.
/// </summary>
/// <remarks>
/// Every image must have the same size. Images are grey (one channel) when every file is grey or grey with
/// alpha, else RGB; alpha is dropped. Values are the 8-bit samples, 0..255, stored channel-major (CHW).
/// </remarks>
public static class PngFolder
{
    /// <summary>Loads the images under <paramref name="folder"/>.</summary>
    public static Dataset Load(string folder, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: no such folder.");
        }

        var classes = Directory.GetDirectories(folder).Where(d => EnumeratePngs(d).Any()).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        var files = new List<(string Path, int Label)>();
        if (classes.Length > 0)
        {
            for (int c = 0; c < classes.Length; c++)
            {
                files.AddRange(EnumeratePngs(classes[c]).Select(f => (f, c)));
            }
        }
        else
        {
            files.AddRange(EnumeratePngs(folder).Select(f => (f, 0)));
        }

        if (files.Count == 0)
        {
            throw new DataFormatException(folder, "the folder holds no .png files.");
        }

        var images = files.Select(f => Png.Read(f.Path)).ToArray();
        int width = images[0].Width, height = images[0].Height;
        for (int i = 1; i < images.Length; i++)
        {
            if (images[i].Width != width || images[i].Height != height)
            {
                throw new DataFormatException(files[i].Path, $"the image is {images[i].Width}×{images[i].Height} but {files[0].Path} is {width}×{height}; every image in a folder must have one size.");
            }
        }

        int channels = images.All(im => im.Color is PngColor.Grey or PngColor.GreyAlpha) ? 1 : 3;
        var shape = new ImageShape(channels, height, width);
        if ((long)images.Length * shape.Size > FormatLimits.MaxElements)
        {
            throw new DataFormatException(folder, $"{images.Length:N0} images of {shape} exceed the limit of {FormatLimits.MaxElements:N0} values.");
        }

        var features = Tensor.Zeros(images.Length, shape.Size);
        for (int i = 0; i < images.Length; i++)
        {
            ToChannelMajor(images[i], channels, features.Row(i));
        }

        var labels = classes.Length > 0 ? files.Select(f => f.Label).ToArray() : null;
        return new Dataset(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), features, labels, shape);
    }

    /// <summary>The class names (sub-folder names) in label order; empty for an unlabelled folder.</summary>
    public static IReadOnlyList<string> ClassNames(string folder) =>
        Directory.GetDirectories(folder).Where(d => EnumeratePngs(d).Any()).Select(d => Path.GetFileName(d)).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private static IEnumerable<string> EnumeratePngs(string folder) =>
        Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal);

    private static void ToChannelMajor(PngImage image, int channels, Span<float> destination)
    {
        int plane = image.Width * image.Height;
        int source = image.Channels;
        for (int p = 0; p < plane; p++)
        {
            if (channels == 1)
            {
                destination[p] = image.Pixels[p * source];
            }
            else
            {
                bool grey = image.Color is PngColor.Grey or PngColor.GreyAlpha;
                for (int c = 0; c < 3; c++)
                {
                    destination[(c * plane) + p] = image.Pixels[(p * source) + (grey ? 0 : c)];
                }
            }
        }
    }
}
