namespace Latent.Optim;

/// <summary>
/// Every hyperparameter an optimizer of <see cref="OptimizerRegistry"/> may read; each kind reads only the
/// ones its <see cref="OptimizerEntry.Hyperparameters"/> lists. The defaults are PyTorch's for Adam and SGD
/// with momentum; <see cref="OptimizerEntry.Defaults"/> holds each optimizer's own (Adagrad's and RMSprop's
/// learning rate is 10⁻², Adagrad's ε 10⁻¹⁰, RMSprop's momentum 0).
/// </summary>
public sealed record OptimizerSettings
{
    /// <summary>η, the base learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>λ: L2 through the gradient for adam and sgd, decoupled for adamw.</summary>
    public float WeightDecay { get; init; }

    /// <summary>μ, the momentum of SGD and RMSprop.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>β₁, Adam's first-moment decay.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>β₂, Adam's second-moment decay.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>ε, the denominator term of Adam, Adagrad and RMSprop.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>δ, Adagrad's learning-rate decay: η_t = η / (1 + (t − 1)δ).</summary>
    public float LearningRateDecay { get; init; }

    /// <summary>The value Adagrad's accumulator starts from.</summary>
    public float InitialAccumulator { get; init; }

    /// <summary>α, RMSprop's decay of the mean square.</summary>
    public float RmsPropAlpha { get; init; } = 0.99f;

    /// <summary>Whether RMSprop divides by the centred (variance) estimate.</summary>
    public bool Centered { get; init; }
}
