using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A 2-D transposed convolution y = f(convᵀ(x, W) + b) over NCHW images (the decoder's upsampling), run as one fused <see cref="Ops.ConvTranspose2d"/> call.</summary>
/// <remarks>
/// The weight is [in, out, k, k] and the bias [out], named "weight" and "bias" as in PyTorch's
/// <c>nn.ConvTranspose2d</c>; fan_in = out·k·k, as PyTorch takes it from the weight's second dimension (see
/// <see cref="ConvolutionLayer"/>). Hₒ = (H − 1)·stride − 2·padding + k + outputPadding, and likewise Wₒ.
/// </remarks>
public sealed class ConvTranspose2d : ConvolutionLayer
{
    /// <summary>A layer with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">The square kernel's side.</param>
    /// <param name="stride">The step between windows, along both axes.</param>
    /// <param name="padding">Zeros added on every side of the convolution this layer is the adjoint of (trimmed from the output).</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right of the output, 0 ≤ outputPadding &lt; stride.</param>
    /// <param name="rng">The generator the initial weights are drawn from.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <param name="activation">An activation fused into the layer's output step (identity for none).</param>
    /// <param name="leakySlope">The slope of a leaky relu activation.</param>
    public ConvTranspose2d(
        int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding, Rng rng,
        bool bias = true, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
        : base(inChannels, outChannels, kernel, stride, padding, [inChannels, outChannels, kernel, kernel], rng, bias, activation, leakySlope)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(outputPadding, stride);
        OutputPadding = outputPadding;
    }

    /// <summary>Rows and columns added at the bottom and right of the output.</summary>
    public int OutputPadding { get; }

    /// <inheritdoc/>
    public override ImageShape OutputShape(ImageShape input) => Ops.ConvTranspose2dOutput(input, InChannels, OutChannels, Settings, OutputPadding);

    private protected override Var Forward(Var x, Activation activation, float leakySlope) =>
        Ops.ConvTranspose2d(x, Weight, Bias, Settings, OutputPadding, activation, leakySlope);

    /// <inheritdoc/>
    protected override string Describe() => DescribeWindow($", output_padding={OutputPadding}");
}
