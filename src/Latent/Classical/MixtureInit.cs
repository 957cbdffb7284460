namespace Latent.Classical;

/// <summary>How a <see cref="GaussianMixture"/> gets its first responsibilities.</summary>
public enum MixtureInit
{
    /// <summary>One-hot responsibilities from the labels of one k-means++ run.</summary>
    KMeans,

    /// <summary>Uniform random responsibilities, normalised per sample.</summary>
    Random,
}
