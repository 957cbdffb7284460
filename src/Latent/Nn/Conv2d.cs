using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A 2-D convolution y = f(conv(x, W) + b) over NCHW images, run as one fused <see cref="Ops.Conv2d"/> call.</summary>
/// <remarks>
/// The weight is [out, in, k, k] and the bias [out], named "weight" and "bias" as in PyTorch's <c>nn.Conv2d</c>;
/// fan_in = in·k·k (see <see cref="ConvolutionLayer"/>). Hₒ = ⌊(H + 2·padding − k) / stride⌋ + 1, and likewise Wₒ.
/// </remarks>
public sealed class Conv2d : ConvolutionLayer
{
    /// <summary>A layer with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">The square kernel's side.</param>
    /// <param name="stride">The step between windows, along both axes.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="rng">The generator the initial weights are drawn from.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <param name="activation">An activation fused into the layer's output step (identity for none).</param>
    /// <param name="leakySlope">The slope of a leaky relu activation.</param>
    public Conv2d(
        int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng,
        bool bias = true, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
        : base(inChannels, outChannels, kernel, stride, padding, [outChannels, inChannels, kernel, kernel], rng, bias, activation, leakySlope)
    {
    }

    /// <inheritdoc/>
    public override ImageShape OutputShape(ImageShape input) => Ops.Conv2dOutput(input, InChannels, OutChannels, Settings);

    private protected override Var Forward(Var x, Activation activation, float leakySlope) =>
        Ops.Conv2d(x, Weight, Bias, Settings, activation, leakySlope);

    /// <inheritdoc/>
    protected override string Describe() => DescribeWindow(string.Empty);
}
