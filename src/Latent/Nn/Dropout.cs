using Latent.Autodiff;

namespace Latent.Nn;

/// <summary>Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1 − p); the identity in evaluation.</summary>
/// <remarks>
/// See <see cref="Ops.Dropout"/> for the formula. The mask is drawn from the run's noise stream,
/// <see cref="Tape.Noise"/> of the input's tape (the trainer puts it there), not from a generator of the layer's
/// own: a checkpoint saves that stream's state, so a resumed run draws the same masks as an uninterrupted one.
/// </remarks>
public sealed class Dropout : Module
{
    /// <summary>A dropout layer dropping with probability <paramref name="p"/>.</summary>
    public Dropout(float p)
    {
        Ops.CheckDropoutProbability(p, nameof(p));
        P = p;
    }

    /// <summary>The probability of dropping an element.</summary>
    public float P { get; }

    /// <summary>x ⊙ m in training mode, m drawn from the tape's <see cref="Tape.Noise"/>; x itself in evaluation mode.</summary>
    /// <exception cref="InvalidOperationException">In training mode, the tape of <paramref name="x"/> has no noise stream.</exception>
    public override Var Forward(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!Training)
        {
            return x;
        }

        var noise = Tape.Of(x).Noise
            ?? throw new InvalidOperationException("Dropout in training mode needs the run's noise stream: set Tape.Noise (or call Eval() for inference).");
        return Ops.Dropout(x, P, noise);
    }

    /// <inheritdoc/>
    protected override string Describe() => $"p={P}";
}
