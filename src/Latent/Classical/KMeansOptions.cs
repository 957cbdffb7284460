using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The settings of k-means clustering; <see cref="Fit(Tensor)"/> turns them into a <see cref="KMeansModel"/>.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters k, at most the number of samples.</summary>
    public int Clusters { get; init; } = 8;

    /// <summary>How the first centres are chosen.</summary>
    public KMeansInit Init { get; init; } = KMeansInit.PlusPlus;

    /// <summary>Number of runs from different initialisations; the one with the lowest inertia is kept.</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>Most Lloyd iterations per run.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// A run stops when the squared movement of all centres, Σⱼ‖cⱼ′ − cⱼ‖², is at most this times the mean
    /// variance of the features (or when no assignment changes).
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Whether the model keeps the centres and assignments of every iteration of the best run.</summary>
    public bool RecordHistory { get; init; }

    /// <summary>
    /// Whether every iteration computes every distance (plain Lloyd) instead of skipping those Hamerly's bounds
    /// rule out; both give the same centres, labels and inertia, bit for bit. For tests and benchmarks.
    /// </summary>
    internal bool PlainLloyd { get; init; }

    /// <summary>Seed of the initialisations.</summary>
    public ulong Seed { get; init; }

    /// <summary>Clusters the rows of <paramref name="data"/> with these settings.</summary>
    public KMeansModel Fit(Tensor data) => KMeans.Fit(data, this);

    /// <summary>As <see cref="Fit(Tensor)"/>, for the items of a feature source (in memory or memory-mapped).</summary>
    public KMeansModel Fit(IFeatureSource data) => KMeans.Fit(data, this);
}
