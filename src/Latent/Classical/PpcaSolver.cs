namespace Latent.Classical;

/// <summary>How <see cref="ProbabilisticPca"/> finds the maximum-likelihood parameters.</summary>
public enum PpcaSolver
{
    /// <summary>
    /// Tipping and Bishop's closed form from the eigendecomposition of the covariance S:
    /// σ² = mean of the discarded eigenvalues, W = (Λ_k − σ²I)^½·U_kᵀ.
    /// </summary>
    ClosedForm,

    /// <summary>Expectation–maximisation on the covariance, from random loadings.</summary>
    Em,
}
