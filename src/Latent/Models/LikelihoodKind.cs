namespace Latent.Models;

/// <summary>The observation model p(x | z) that turns the decoder's output into a reconstruction loss.</summary>
public enum LikelihoodKind
{
    /// <summary>Bernoulli with logits: −log p = Σ BCE(logits, x); for data in [0, 1].</summary>
    Bernoulli,

    /// <summary>Gaussian with a fixed σ: −log p = ‖x − f(z)‖²/(2σ²) + (d/2)·log 2πσ² (squared error up to constants).</summary>
    Gaussian,

    /// <summary>Gaussian with one learned variance shared by all dimensions.</summary>
    GaussianLearnedShared,

    /// <summary>Gaussian with a learned variance per input dimension.</summary>
    GaussianLearnedPerDimension,
}
