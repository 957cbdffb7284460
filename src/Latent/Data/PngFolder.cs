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

        // Every header first (33 bytes a file): the size of the whole data set is known, and checked, before
        // a single image is decoded; then one image at a time is decoded straight into its row.
        var headers = files.Select(f => Png.ReadHeader(f.Path)).ToArray();
        int width = headers[0].Width, height = headers[0].Height;
        for (int i = 1; i < headers.Length; i++)
        {
            if (headers[i].Width != width || headers[i].Height != height)
            {
                throw new DataFormatException(files[i].Path, $"the image is {headers[i].Width}×{headers[i].Height} but {files[0].Path} is {width}×{height}; every image in a folder must have one size.");
            }
        }

        int channels = headers.All(h => h.IsGrey) ? 1 : 3;
        var shape = new ImageShape(channels, height, width);
        if ((long)headers.Length * shape.Size > FormatLimits.MaxElements)
        {
            throw new DataFormatException(folder, $"{headers.Length:N0} images of {shape} exceed the limit of {FormatLimits.MaxElements:N0} values.");
        }

        FormatLimits.CheckMemory(4L * headers.Length * shape.Size, folder, $"{headers.Length:N0} images of {shape}");
        var features = Tensor.Zeros(headers.Length, shape.Size);
        for (int i = 0; i < headers.Length; i++)
        {
            var image = Png.Read(files[i].Path);
            if (image.Width != width || image.Height != height || (channels == 1 && image.Color is not (PngColor.Grey or PngColor.GreyAlpha)))
            {
                throw new DataFormatException(files[i].Path, "the image changed while the folder was being read.");
            }

            ToChannelMajor(image, channels, features.Row(i));
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
