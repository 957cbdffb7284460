using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// A binary code: sigmoid units p rounded to {0, 1}, with the straight-through gradient (the rounding's
/// gradient taken as the identity, Bengio et al. 2013).
/// </summary>
/// <remarks>
/// In training each bit is drawn as b = [p + u − ½ &gt; ½] = [u &gt; 1 − p] ~ Bernoulli(p), u ~ U(0, 1) (the
/// stochastic binary neuron); the noise lets codes that collide move apart, where deterministic rounding
/// gets stuck. Encoding rounds p at ½.
/// </remarks>
public sealed class BinaryBottleneck : Bottleneck
{
    private readonly Linear _linear;
    private Tensor? _noise;

    public BinaryBottleneck(int features, int latent, Rng rng)
        : base(features, latent)
    {
        _linear = RegisterModule("linear", new Linear(features, latent, rng, activation: Activation.Sigmoid));
    }

    public override BottleneckOutput Sample(Var features, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rng);
        var probabilities = _linear.Forward(features);
        if (_noise is null || _noise.Rows != probabilities.Rows || _noise.Columns != probabilities.Columns)
        {
            _noise = Tensor.Zeros(probabilities.Rows, probabilities.Columns);
        }

        rng.FillUniform(_noise.Span, -0.5f, 0.5f);
        var tape = Tape.Of(probabilities);
        return new(Ops.BinarizeStraightThrough(Ops.Add(probabilities, tape.Input(_noise))));
    }

    public override Var Forward(Var x) => Ops.BinarizeStraightThrough(_linear.Forward(x));
}
