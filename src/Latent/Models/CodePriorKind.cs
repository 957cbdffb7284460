namespace Latent.Models;

/// <summary>The distribution over codes that <see cref="CodePrior"/> draws from.</summary>
public enum CodePriorKind
{
    /// <summary>The standard normal N(0, I): a VAE's prior, which it was trained to match.</summary>
    Standard,

    /// <summary>One full-covariance Gaussian N(m, S) fitted to the encoded training data.</summary>
    Gaussian,

    /// <summary>A mixture of K full-covariance Gaussians fitted by EM to the encoded training data.</summary>
    Mixture,
}
