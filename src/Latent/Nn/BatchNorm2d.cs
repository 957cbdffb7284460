using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Batch normalisation of images [N, C, H, W], PyTorch's nn.BatchNorm2d: statistics over N·H·W per channel.</summary>
/// <remarks>See <see cref="BatchNormBase"/> for the parameters, buffers and modes, <see cref="Autodiff.Ops.BatchNorm"/> for the formulas.</remarks>
public sealed class BatchNorm2d : BatchNormBase
{
    /// <summary>A layer normalising images of <paramref name="channels"/> channels.</summary>
    /// <param name="channels">C.</param>
    /// <param name="eps">ε, added to the variance.</param>
    /// <param name="momentum">The weight of each batch in the running statistics.</param>
    public BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f)
        : base(channels, eps, momentum)
    {
    }

    /// <summary>The output image for an input image of <paramref name="input"/>: the same, once its channels are <see cref="BatchNormBase.Channels"/>.</summary>
    /// <exception cref="ArgumentException">The image has another number of channels.</exception>
    public ImageShape OutputShape(ImageShape input)
    {
        if (input.Channels != Channels)
        {
            throw new ArgumentException($"BatchNorm2d: the layer normalises {Channels} channels; the input image is {input}.", nameof(input));
        }

        return input;
    }

    private protected override void CheckInput(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != Channels)
        {
            throw new ArgumentException($"BatchNorm2d: the layer normalises {Channels} channels and takes images [N, {Channels}, H, W]; the input is {Format(x)}.", nameof(x));
        }
    }
}
