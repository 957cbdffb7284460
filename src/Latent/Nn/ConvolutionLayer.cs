using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>
/// What <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/> share: the square window, a weight and an
/// optional bias initialised as PyTorch does, and an activation fused into the op's output step.
/// </summary>
/// <remarks>
/// With fan_in taken from the weight as PyTorch takes it (its second dimension times k·k), the weight is drawn
/// from U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5), then the bias from the same range.
/// </remarks>
public abstract class ConvolutionLayer : Module, IFusesActivation
{
    private protected ConvolutionLayer(
        int inChannels, int outChannels, int kernel, int stride, int padding, int[] weightShape, Rng rng,
        bool bias, Activation activation, float leakySlope)
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
        float bound = 1f / MathF.Sqrt((float)weightShape[1] * kernel * kernel);
        var weight = Tensor.Zeros(weightShape);
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

    /// <summary>The weight, in PyTorch's layout for the layer.</summary>
    public Var Weight { get; }

    /// <summary>The bias [out], or null for a layer without one.</summary>
    public Var? Bias { get; }

    /// <summary>The activation applied in the layer's output step.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of a leaky relu activation.</summary>
    public float LeakySlope { get; }

    /// <summary>The shape of one output image for one input image of <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input has another number of channels, or the window does not fit it.</exception>
    public abstract ImageShape OutputShape(ImageShape input);

    /// <summary>The layer with its own activation, for x [N, in, H, W]; the result is [N, out, Hₒ, Wₒ].</summary>
    public override Var Forward(Var x) => Forward(x, Activation, LeakySlope);

    /// <summary>A layer without an activation of its own takes any following activation into its output step.</summary>
    bool IFusesActivation.CanFuse(ActivationModule next) => Activation == Activation.Identity;

    /// <summary>The layer followed by <paramref name="activation"/> in the same output step (used by <see cref="Sequential"/>).</summary>
    Var IFusesActivation.Forward(Var x, Activation activation, float leakySlope) => Forward(x, activation, leakySlope);

    /// <summary>Runs the op with <paramref name="activation"/> fused into its output step.</summary>
    private protected abstract Var Forward(Var x, Activation activation, float leakySlope);

    /// <summary>The settings for <see cref="Module.ToString"/>, with <paramref name="extra"/> after the window.</summary>
    private protected string DescribeWindow(string extra) =>
        $"in={InChannels}, out={OutChannels}, kernel={Settings.KernelHeight}, stride={Settings.StrideHeight}, padding={Settings.PaddingHeight}{extra}, bias={Bias is not null}"
        + (Activation == Activation.Identity ? string.Empty : $", activation={Activation}");
}
