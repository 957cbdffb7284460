using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>z = f(h·Wᵀ + b): a linear map to the code with an optional activation.</summary>
public sealed class DeterministicBottleneck : Bottleneck
{
    private readonly Linear _linear;

    public DeterministicBottleneck(int features, int latent, Activation activation, Rng rng)
        : base(features, latent)
    {
        _linear = RegisterModule("linear", new Linear(features, latent, rng, activation: activation));
    }

    public override BottleneckOutput Sample(Var features, Rng rng) => new(_linear.Forward(features));

    public override Var Forward(Var x) => _linear.Forward(x);
}
