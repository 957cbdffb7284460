using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Rows of features [N, C·H·W] as images [N, C, H, W] (PyTorch's nn.Unflatten(1, (C, H, W))), a view with no copy.</summary>
/// <remarks>See <see cref="Ops.Unflatten"/>. No parameters.</remarks>
public sealed class Unflatten : Module
{
    /// <summary>Unflattens rows of <paramref name="shape"/>.Size features into images of <paramref name="shape"/>.</summary>
    public Unflatten(ImageShape shape)
    {
        if (shape.Size == 0)
        {
            throw new ArgumentException("Unflatten needs an image shape; this one is empty (default).", nameof(shape));
        }

        Shape = shape;
    }

    /// <summary>The shape of one output image.</summary>
    public ImageShape Shape { get; }

    /// <summary>The output image for rows of <paramref name="features"/> values: <see cref="Shape"/>, once the sizes agree.</summary>
    /// <exception cref="ArgumentException">The rows do not hold one image's values.</exception>
    public ImageShape OutputShape(int features)
    {
        if (features != Shape.Size)
        {
            throw new ArgumentException($"Unflatten: rows of {features} features do not make {Shape} images, which hold {Shape.Size} values.", nameof(features));
        }

        return Shape;
    }

    /// <summary>x [N, C·H·W] as [N, C, H, W].</summary>
    public override Var Forward(Var x) => Ops.Unflatten(x, Shape);

    /// <inheritdoc/>
    protected override string Describe() => $"{Shape}";
}
