using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// A binary code: sigmoid units rounded to {0, 1} at 0.5, with the straight-through gradient (the rounding's
/// gradient taken as the identity, Bengio et al. 2013).
/// </summary>
public sealed class BinaryBottleneck : Bottleneck
{
    private readonly Linear _linear;

    public BinaryBottleneck(int features, int latent, Rng rng)
        : base(features, latent)
    {
        _linear = RegisterModule("linear", new Linear(features, latent, rng, activation: Activation.Sigmoid));
    }

    public override BottleneckOutput Sample(Var features, Rng rng) => new(Ops.BinarizeStraightThrough(_linear.Forward(features)));

    public override Var Forward(Var x) => Ops.BinarizeStraightThrough(_linear.Forward(x));
}
