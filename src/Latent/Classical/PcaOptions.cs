using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The settings of a principal component analysis; <see cref="Fit(Tensor)"/> turns them into a <see cref="PcaModel"/>.</summary>
public sealed record PcaOptions
{
    /// <summary>Number of components to keep, at most min(samples, features).</summary>
    public int Components { get; init; } = 2;

    /// <summary>How the components are found.</summary>
    public PcaSolver Solver { get; init; } = PcaSolver.Auto;

    /// <summary>Whether <see cref="PcaModel.Transform"/> scales every component to unit variance.</summary>
    public bool Whiten { get; init; }

    /// <summary>Power iterations of the randomised solver; null chooses 7 when fewer than 10 % of the possible components are kept, else 4.</summary>
    public int? PowerIterations { get; init; }

    /// <summary>Extra random directions of the randomised solver beyond <see cref="Components"/>.</summary>
    public int Oversamples { get; init; } = 10;

    /// <summary>Seed of the randomised solver's test matrix.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fits a PCA with these settings to the rows of <paramref name="data"/>.</summary>
    public PcaModel Fit(Tensor data) => Pca.Fit(data, this);

    /// <summary>As <see cref="Fit(Tensor)"/>, for the items of a feature source (in memory or memory-mapped).</summary>
    public PcaModel Fit(IFeatureSource data) => Pca.Fit(data, this);
}
