namespace Latent.Models;

/// <summary>The corruption applied to inputs during training (a denoising autoencoder).</summary>
public enum NoiseKind
{
    /// <summary>Clean inputs.</summary>
    None,

    /// <summary>x̃ = x + σ·ε, ε ~ N(0, I).</summary>
    Gaussian,

    /// <summary>Each input dimension set to zero with probability p.</summary>
    Mask,
}
