namespace Latent.Classical;

/// <summary>The form of the covariance matrices of a <see cref="GaussianMixture"/>.</summary>
public enum CovarianceType
{
    /// <summary>Each component has its own full covariance matrix: k·d(d + 1)/2 parameters.</summary>
    Full,

    /// <summary>Each component has its own diagonal covariance: k·d parameters.</summary>
    Diagonal,

    /// <summary>Each component has its own single variance σⱼ²·I: k parameters.</summary>
    Spherical,

    /// <summary>All components share one full covariance matrix: d(d + 1)/2 parameters.</summary>
    Tied,
}
