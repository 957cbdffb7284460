using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// A binary code: each unit is 1 where its pre-activation a = features·Wᵀ + b is positive (σ(a) &gt; ½), trained
/// through a noisy sigmoid that the noise drives to saturation (Salakhutdinov and Hinton's semantic hashing).
/// </summary>
/// <remarks>
/// Training decodes the relaxed code c = σ(a + ε), ε ~ N(0, s²) with s = <see cref="AutoencoderOptions.CodeNoise"/>:
/// a unit near ½ carries little that survives the noise, so the loss pushes |a| up until c is 0 or 1 and the
/// relaxed code equals the binary one. Encoding gives b = [a &gt; 0] with the straight-through gradient ∂a = ∂b
/// (Bengio et al. 2013), so a loss on the binary code still trains the encoder. Straight-through training alone
/// (<see cref="AutoencoderOptions.CodeNoise"/> = 0, the decoder then sees the binary code in training too) lets
/// codes that collide stay collided: on onehot8 with 3 bits it reaches 5 to 7 distinct codes of 8, where the
/// noisy sigmoid finds all 8.
/// </remarks>
public sealed class BinaryBottleneck : Bottleneck
{
    private readonly Linear _linear;
    private readonly float _noise;
    private Tensor? _epsilon;

    /// <summary>A binary code of <paramref name="latent"/> bits read from <paramref name="features"/> features.</summary>
    /// <param name="features">Size of the encoder's output.</param>
    /// <param name="latent">Number of bits.</param>
    /// <param name="noise">σ of the Gaussian noise on the pre-activations in training; 0 trains the binary code by straight-through alone.</param>
    /// <param name="rng">The random initialisation.</param>
    public BinaryBottleneck(int features, int latent, float noise, Rng rng)
        : base(features, latent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        ArgumentNullException.ThrowIfNull(rng);
        _noise = noise;
        _linear = RegisterModule("linear", new Linear(features, latent, rng));
    }

    /// <summary>
    /// The training code: the relaxed σ(a + ε) when there is code noise, else the binary code [a &gt; 0] itself,
    /// trained by the straight-through gradient alone.
    /// </summary>
    public override BottleneckOutput Sample(Var features, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(rng);
        var preActivation = _linear.Forward(features);
        if (_noise == 0f)
        {
            return new(Ops.BinarizeStraightThrough(preActivation, 0f));
        }

        if (_epsilon is null || !_epsilon.SameShape(preActivation.Value))
        {
            _epsilon = Tensor.Zeros(preActivation.Rows, preActivation.Columns);
        }

        rng.FillNormal(_epsilon.Span, 0f, _noise);
        var noisy = Ops.Add(preActivation, Tape.Of(preActivation).Input(_epsilon));
        return new(Ops.Sigmoid(noisy));
    }

    /// <summary>The binary code [a &gt; 0] with the straight-through gradient.</summary>
    public override Var Forward(Var x) => Ops.BinarizeStraightThrough(_linear.Forward(x), 0f);
}
