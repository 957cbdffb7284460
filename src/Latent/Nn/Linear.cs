using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A fully connected layer y = f(x·Wᵀ + b), run as one fused <see cref="Ops.Linear"/> call.</summary>
/// <remarks>
/// The weight is [out, in] and the bias [out], named "weight" and "bias" as in PyTorch. Both start as
/// PyTorch's default: W ~ U(−1/√in, 1/√in), which is kaiming_uniform with a = √5 (gain √(2/(1 + a²)) = √(1/3),
/// bound gain·√(3/in) = 1/√in), and b ~ U(−1/√in, 1/√in); the weight is drawn first, row by row, then the bias.
/// </remarks>
public sealed class Linear : Module, IFusesActivation
{
    /// <summary>A layer with PyTorch's default initialisation drawn from <paramref name="rng"/>.</summary>
    /// <param name="inFeatures">Input features (the width of x).</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="rng">The generator the initial weights are drawn from.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <param name="activation">An activation fused into the layer's output step (identity for none).</param>
    /// <param name="leakySlope">The slope of a leaky relu activation.</param>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(rng);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Activation = activation;
        LeakySlope = leakySlope;
        float bound = 1f / MathF.Sqrt(inFeatures);
        var weight = Tensor.Zeros(outFeatures, inFeatures);
        rng.FillUniform(weight.Span, -bound, bound);
        Weight = RegisterParameter("weight", weight);
        if (bias)
        {
            var b = Tensor.Zeros(outFeatures);
            rng.FillUniform(b.Span, -bound, bound);
            Bias = RegisterParameter("bias", b);
        }
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Var Weight { get; }

    /// <summary>The bias [out], or null for a layer without one.</summary>
    public Var? Bias { get; }

    /// <summary>The activation applied in the layer's output step.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of a leaky relu activation.</summary>
    public float LeakySlope { get; }

    /// <summary>f(x·Wᵀ + b) for x [batch, in]; the result is [batch, out].</summary>
    public override Var Forward(Var x) => Ops.Linear(x, Weight, Bias, Activation, LeakySlope);

    /// <summary>A layer without an activation of its own takes any following activation into its output step.</summary>
    bool IFusesActivation.CanFuse(ActivationModule next) => Activation == Activation.Identity;

    /// <summary>x·Wᵀ + b followed by <paramref name="activation"/> in the same output step (used by <see cref="Sequential"/>).</summary>
    Var IFusesActivation.Forward(Var x, Activation activation, float leakySlope) => Ops.Linear(x, Weight, Bias, activation, leakySlope);

    /// <inheritdoc/>
    protected override string Describe() =>
        $"in={InFeatures}, out={OutFeatures}, bias={Bias is not null}" + (Activation == Activation.Identity ? string.Empty : $", activation={Activation}");
}
