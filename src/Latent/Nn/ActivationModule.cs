using Latent.Autodiff;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Nn;

/// <summary>A parameterless module applying an activation element-wise.</summary>
/// <remarks>
/// Inside a <see cref="Sequential"/>, an activation directly after a layer that can take it into its output
/// step (a <see cref="Linear"/> without its own activation; see <see cref="IFusesActivation"/>) is fused there.
/// </remarks>
public abstract class ActivationModule : Module
{
    private protected ActivationModule(Activation activation, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        Activation = activation;
        LeakySlope = leakySlope;
    }

    /// <summary>The activation applied.</summary>
    public Activation Activation { get; }

    /// <summary>The slope of a leaky relu (unused by the others).</summary>
    public float LeakySlope { get; }

    /// <summary>f(x) element-wise; the identity returns <paramref name="x"/> itself.</summary>
    public override Var Forward(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Activation == Activation.Identity ? x : Ops.Activate(x, Activation, LeakySlope);
    }
}
