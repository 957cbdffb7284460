using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The settings of a Gaussian mixture fitted by EM; <see cref="Fit(Tensor)"/> turns them into a <see cref="GaussianMixtureModel"/>.</summary>
public sealed record GaussianMixtureOptions
{
    /// <summary>Number of components k, at most the number of samples.</summary>
    public int Components { get; init; } = 1;

    /// <summary>The form of the covariance matrices.</summary>
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;

    /// <summary>Added to the diagonal of every covariance, so that each stays positive definite.</summary>
    public double RegCovar { get; init; } = 1e-6;

    /// <summary>EM stops when the mean log-likelihood per sample changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Most EM iterations per initialisation.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Number of initialisations; the one with the highest final log-likelihood is kept.</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>How the first responsibilities are made.</summary>
    public MixtureInit Init { get; init; } = MixtureInit.KMeans;

    /// <summary>
    /// Whether the model keeps the weights, means and covariances of every EM step of the best initialisation
    /// (<see cref="GaussianMixtureModel.Steps"/>); off, a fit keeps only the log-likelihood per iteration.
    /// </summary>
    public bool RecordHistory { get; init; }

    /// <summary>Seed of the initialisations.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fits a mixture with these settings to the rows of <paramref name="data"/>.</summary>
    public GaussianMixtureModel Fit(Tensor data) => GaussianMixture.Fit(data, this);

    /// <summary>As <see cref="Fit(Tensor)"/>, for the items of a feature source (in memory or memory-mapped).</summary>
    public GaussianMixtureModel Fit(IFeatureSource data) => GaussianMixture.Fit(data, this);
}
