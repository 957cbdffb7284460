using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1 − p); the identity in evaluation.</summary>
/// <remarks>See <see cref="Ops.Dropout"/> for the formula. The mask is drawn from the generator given here, so a run repeats for a seed.</remarks>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    /// <summary>A dropout layer dropping with probability <paramref name="p"/>, its masks drawn from <paramref name="rng"/>.</summary>
    public Dropout(float p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Ops.CheckDropoutProbability(p, nameof(p));
        P = p;
        _rng = rng;
    }

    /// <summary>The probability of dropping an element.</summary>
    public float P { get; }

    /// <summary>x ⊙ m in training mode; x itself in evaluation mode.</summary>
    public override Var Forward(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Training ? Ops.Dropout(x, P, _rng) : x;
    }

    protected override string Describe() => $"p={P}";
}
