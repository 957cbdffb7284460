using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A 2-D transposed convolution y = f(convᵀ(x, W) + b) over NCHW images (the decoder's upsampling), run as one fused <see cref="Ops.ConvTranspose2d"/> call.</summary>
/// <remarks>
/// The weight is [in, out, k, k] and the bias [out], named "weight" and "bias" as in PyTorch's <c>nn.ConvTranspose2d</c>.
/// Both start as PyTorch's default: with fan_in = out·k·k (PyTorch takes it from the weight's second dimension), W ~ U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with
/// a = √5) and b ~ U(−1/√fan_in, 1/√fan_in); the weight is drawn first, then the bias.
/// Hₒ = (H − 1)·stride − 2·padding + k + outputPadding, and likewise Wₒ.
/// </remarks>
public sealed class ConvTranspose2d : Module, IFusesActivation
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
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(outputPadding, stride);
        ArgumentNullException.ThrowIfNull(rng);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        if (activation == Activation.LeakyRelu && !(leakySlope >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(leakySlope), leakySlope, "A leaky relu's slope must be 0 or more.");
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        Settings = ConvSettings.Square(kernel, stride, padding);
        OutputPadding = outputPadding;
        Activation = activation;
        LeakySlope = leakySlope;
        float bound = 1f / MathF.Sqrt((float)outChannels * kernel * kernel);
        var weight = Tensor.Zeros(inChannels, outChannels, kernel, kernel);
        rng.FillUniform(weight.Span, -bound, bound);
        Weight = RegisterParameter("weight", weight);
        if (bias)
        {
            var b = Tensor.Zeros(outChannels);
            rng.FillUniform(b.Span, -bound, bound);
            Bias = RegisterParameter("bias", b);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The window: kernel, stride and padding.</summary>
    public ConvSettings Settings { get; }

    /// <summary>Rows and columns added at the bottom and right of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>The weight [in, out, k, k].</summary>
    public Var Weight { get; }

    /// <summary>The bias [out], or null for a layer without one.</summary>
    public Var? Bias { get; }

    /// <summary>The activation applied in the layer's output step.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of a leaky relu activation.</summary>
    public float LeakySlope { get; }

    /// <summary>The shape of one output image for one input image of <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input has another number of channels, or the window does not fit it.</exception>
    public ImageShape OutputShape(ImageShape input) => Ops.ConvTranspose2dOutput(input, InChannels, OutChannels, Settings, OutputPadding);

    /// <summary>f(convᵀ(x, W) + b) for x [N, in, H, W]; the result is [N, out, Hₒ, Wₒ].</summary>
    public override Var Forward(Var x) => Ops.ConvTranspose2d(x, Weight, Bias, Settings, OutputPadding, Activation, LeakySlope);

    /// <summary>A layer without an activation of its own takes any following activation into its output step.</summary>
    bool IFusesActivation.CanFuse(ActivationModule next) => Activation == Activation.Identity;

    /// <summary>convᵀ(x, W) + b followed by <paramref name="activation"/> in the same output step (used by <see cref="Sequential"/>).</summary>
    Var IFusesActivation.Forward(Var x, Activation activation, float leakySlope) => Ops.ConvTranspose2d(x, Weight, Bias, Settings, OutputPadding, activation, leakySlope);

    protected override string Describe() =>
        $"in={InChannels}, out={OutChannels}, kernel={Settings.KernelHeight}, stride={Settings.StrideHeight}, padding={Settings.PaddingHeight}, output_padding={OutputPadding}, bias={Bias is not null}"
        + (Activation == Activation.Identity ? string.Empty : $", activation={Activation}");
}
