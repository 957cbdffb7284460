using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Images [N, C, H, W] as rows of features [N, C·H·W] (PyTorch's nn.Flatten), a view with no copy.</summary>
/// <remarks>See <see cref="Ops.Flatten"/>. No parameters.</remarks>
public sealed class Flatten : Module
{
    /// <summary>The features per item for an input image of <paramref name="input"/>: c·h·w.</summary>
    public static int OutputFeatures(ImageShape input)
    {
        if (input.Size == 0)
        {
            throw new ArgumentException("Flatten needs an image shape; this one is empty (default).", nameof(input));
        }

        return input.Size;
    }

    /// <summary>x [N, ...] as [N, C·H·W].</summary>
    public override Var Forward(Var x) => Ops.Flatten(x);
}
