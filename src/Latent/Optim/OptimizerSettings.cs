namespace Latent.Optim;

/// <summary>
/// Every hyperparameter an optimizer of <see cref="OptimizerRegistry"/> may read; each kind reads only the
/// ones its <see cref="OptimizerEntry.Hyperparameters"/> lists. The defaults are PyTorch's.
/// </summary>
public sealed record OptimizerSettings
{
    /// <summary>η, the base learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>λ: L2 through the gradient for adam and sgd, decoupled for adamw.</summary>
    public float WeightDecay { get; init; }

    /// <summary>μ, SGD's momentum.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>β₁, Adam's first-moment decay.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>β₂, Adam's second-moment decay.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>ε, Adam's denominator term.</summary>
    public float Epsilon { get; init; } = 1e-8f;
}
