using Latent.Tensors;
namespace Latent.Data;

/// <summary>How an array's shape maps to items and image layouts.</summary>
internal static class ShapeRules
{
    /// <summary>
    /// [n, h, w] is n grey images; [n, c, h, w] with c of 1, 3 or 4 is n images in CHW order; anything else
    /// (such as [n, d]) is plain vectors.
    /// </summary>
    public static ImageShape? ImageShapeOf(int[] shape) => shape.Length switch
    {
        3 when shape[1] > 0 && shape[2] > 0 => new ImageShape(1, shape[1], shape[2]),
        4 when shape[1] is 1 or 3 or 4 && shape[2] > 0 && shape[3] > 0 => new ImageShape(shape[1], shape[2], shape[3]),
        _ => null,
    };
}
