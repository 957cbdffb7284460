using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Nearest-neighbour upsampling of NCHW images by an integer factor (PyTorch's nn.Upsample(scale_factor=f, mode="nearest")).</summary>
/// <remarks>See <see cref="Ops.UpsampleNearest"/>: each pixel becomes an f × f block. No parameters.</remarks>
public sealed class Upsample : Module
{
    /// <summary>Upsampling by <paramref name="factor"/> along height and width.</summary>
    public Upsample(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        Factor = factor;
    }

    /// <summary>f, the scale along both axes.</summary>
    public int Factor { get; }

    /// <summary>The output image for an input image of <paramref name="input"/>: c × (f·h) × (f·w).</summary>
    /// <exception cref="ArgumentException">The upsampled image would be too large.</exception>
    public ImageShape OutputShape(ImageShape input)
    {
        if (input.Size == 0)
        {
            throw new ArgumentException("Upsample needs an image shape; this one is empty (default).", nameof(input));
        }

        long height = (long)input.Height * Factor, width = (long)input.Width * Factor;
        if (input.Channels * height * width > int.MaxValue)
        {
            throw new ArgumentException($"Upsample: a {input} image upsampled by {Factor} would hold {input.Channels * height * width} values, more than a tensor can.", nameof(input));
        }

        return new ImageShape(input.Channels, (int)height, (int)width);
    }

    /// <summary>The upsampled images [N, C, f·H, f·W] of x [N, C, H, W].</summary>
    public override Var Forward(Var x) => Ops.UpsampleNearest(x, Factor);

    /// <inheritdoc/>
    protected override string Describe() => $"factor={Factor}";
}
