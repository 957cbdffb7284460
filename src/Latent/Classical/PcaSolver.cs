namespace Latent.Classical;

/// <summary>How <see cref="Pca"/> finds the principal components.</summary>
public enum PcaSolver
{
    /// <summary>
    /// <see cref="Full"/> when the data is small (at most 500 samples and features) or when 80 % or more of
    /// the possible components are asked for; <see cref="Randomized"/> otherwise (scikit-learn's rule).
    /// </summary>
    Auto,

    /// <summary>
    /// Exact: the symmetric eigendecomposition of the covariance matrix when there are at least as many samples
    /// as features, otherwise the singular value decomposition of the centred data through its Gram matrix.
    /// </summary>
    Full,

    /// <summary>Randomised range finder with power iterations (Halko, Martinsson and Tropp), then Rayleigh–Ritz.</summary>
    Randomized,
}
