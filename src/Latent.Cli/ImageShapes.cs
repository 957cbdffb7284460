using Latent.Data;
using Latent.Tensors;

namespace Latent.Cli;

/// <summary>The picture shape of a model's inputs: the data's own shape, else a square grey image.</summary>
internal static class ImageShapes
{
    public static ImageShape For(int inputs, Dataset? data = null)
    {
        if (data?.ImageShape is { } shape)
        {
            return shape;
        }

        int side = (int)Math.Round(Math.Sqrt(inputs));
        if (side * side != inputs)
        {
            throw new ArgumentException($"The model's {inputs} inputs are not a square image; pass --data with image data to give the picture shape.");
        }

        return new ImageShape(1, side, side);
    }
}
