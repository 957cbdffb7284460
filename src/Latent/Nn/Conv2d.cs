using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A 2-D convolution y = f(conv(x, W) + b) over NCHW images, run as one fused <see cref="Ops.Conv2d"/> call.</summary>
/// <remarks>
/// The weight is [out, in, k, k] and the bias [out], named "weight" and "bias" as in PyTorch's <c>nn.Conv2d</c>.
/// Both start as PyTorch's default: with fan_in = in·k·k, W ~ U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with
/// a = √5) and b ~ U(−1/√fan_in, 1/√fan_in); the weight is drawn first, then the bias.
/// Hₒ = ⌊(H + 2·padding − k) / stride⌋ + 1, and likewise Wₒ.
/// </remarks>
public sealed class Conv2d : Module, IFusesActivation
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
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
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
        Activation = activation;
        LeakySlope = leakySlope;
        float bound = 1f / MathF.Sqrt((float)inChannels * kernel * kernel);
        var weight = Tensor.Zeros(outChannels, inChannels, kernel, kernel);
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

    /// <summary>The weight [out, in, k, k].</summary>
    public Var Weight { get; }

    /// <summary>The bias [out], or null for a layer without one.</summary>
    public Var? Bias { get; }

    /// <summary>The activation applied in the layer's output step.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of a leaky relu activation.</summary>
    public float LeakySlope { get; }

    /// <summary>The shape of one output image for one input image of <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input has another number of channels, or the window does not fit it.</exception>
    public ImageShape OutputShape(ImageShape input) => Ops.Conv2dOutput(input, InChannels, OutChannels, Settings);

    /// <summary>f(conv(x, W) + b) for x [N, in, H, W]; the result is [N, out, Hₒ, Wₒ].</summary>
    public override Var Forward(Var x) => Ops.Conv2d(x, Weight, Bias, Settings, Activation, LeakySlope);

    /// <summary>A layer without an activation of its own takes any following activation into its output step.</summary>
    bool IFusesActivation.CanFuse(ActivationModule next) => Activation == Activation.Identity;

    /// <summary>conv(x, W) + b followed by <paramref name="activation"/> in the same output step (used by <see cref="Sequential"/>).</summary>
    Var IFusesActivation.Forward(Var x, Activation activation, float leakySlope) => Ops.Conv2d(x, Weight, Bias, Settings, activation, leakySlope);

    protected override string Describe() =>
        $"in={InChannels}, out={OutChannels}, kernel={Settings.KernelHeight}, stride={Settings.StrideHeight}, padding={Settings.PaddingHeight}, bias={Bias is not null}"
        + (Activation == Activation.Identity ? string.Empty : $", activation={Activation}");
}
