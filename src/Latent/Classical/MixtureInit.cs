namespace Latent.Classical;

/// <summary>How a <see cref="GaussianMixture"/> gets its first responsibilities.</summary>
public enum MixtureInit
{
    /// <summary>One-hot responsibilities from the labels of one k-means++ run.</summary>
    KMeans,

    /// <summary>Uniform random responsibilities, normalised per sample.</summary>
    Random,

    /// <summary>
    /// The textbook μ⁰, Σ⁰: the means at k distinct samples chosen at random, every covariance the data's own
    /// (in the chosen form, plus the regularisation) and equal weights; EM starts with the E-step on them.
    /// </summary>
    RandomSamples,
}
