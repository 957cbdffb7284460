using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>z = f(h·Wᵀ + b): a linear map to the code with an optional activation.</summary>
public sealed class DeterministicBottleneck : Bottleneck
{
    private readonly Linear _linear;

    /// <summary>A linear map from <paramref name="features"/> to <paramref name="latent"/> units, then <paramref name="activation"/>; weights drawn from <paramref name="rng"/>.</summary>
    public DeterministicBottleneck(int features, int latent, Activation activation, Rng rng)
        : base(features, latent)
    {
        _linear = RegisterModule("linear", new Linear(features, latent, rng, activation: activation));
    }

    /// <inheritdoc/>
    public override BottleneckOutput Sample(Var features, Rng rng) => new(_linear.Forward(features));

    /// <inheritdoc/>
    public override Var Forward(Var x) => _linear.Forward(x);
}
