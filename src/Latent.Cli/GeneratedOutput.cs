using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>Writes generated items [n, d] as a PNG image grid or, for a path ending in .npy, as the array itself.</summary>
internal static class GeneratedOutput
{
    public static void Write(string path, Tensor items, ImageShape? shape, int columns = 0)
    {
        if (string.Equals(Path.GetExtension(path), ".npy", StringComparison.OrdinalIgnoreCase))
        {
            Npy.Write(path, items);
            return;
        }

        Png.Write(path, ImageGrid.Compose(items.Span, items.Rows, shape ?? ImageShapes.For(items.Columns), columns));
    }
}
