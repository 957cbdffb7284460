namespace Latent.Evaluation;

/// <summary>What <see cref="Evaluator"/> measures and how much work it spends.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Importance samples per item for log p(x) (0: skip it).</summary>
    public int ImportanceSamples { get; init; } = ImportanceSampling.DefaultSamples;

    /// <summary>Items (the first ones) whose log p(x) is estimated.</summary>
    public int ImportanceItems { get; init; } = 1000;

    /// <summary>Items (the first ones) used for the MMD between the aggregate posterior and the prior.</summary>
    public int MmdItems { get; init; } = 1000;

    /// <summary>Clusters for k-means on the codes (0: the number of classes).</summary>
    public int Clusters { get; init; }

    /// <summary>
    /// The beta-VAE disentanglement metric's work (pairs per point, training and test points), measured when the
    /// data set's factors are known (null: skip it); its seed is replaced by <see cref="Seed"/>.
    /// </summary>
    public BetaVaeMetricOptions? BetaVaeMetric { get; init; } = new();

    /// <summary>Items drawn for the mutual information gap when the data set's factors are known (0: skip it).</summary>
    public int MigItems { get; init; } = 10_000;

    /// <summary>Bins each code unit is cut into for the mutual information gap.</summary>
    public int MigBins { get; init; } = MutualInformationGap.DefaultBins;

    /// <summary>The seed of every random draw.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every value and returns these options.</summary>
    public EvaluationOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ImportanceSamples, nameof(ImportanceSamples));
        ArgumentOutOfRangeException.ThrowIfNegative(ImportanceItems, nameof(ImportanceItems));
        ArgumentOutOfRangeException.ThrowIfNegative(MmdItems, nameof(MmdItems));
        ArgumentOutOfRangeException.ThrowIfNegative(Clusters, nameof(Clusters));
        BetaVaeMetric?.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(MigItems, nameof(MigItems));
        ArgumentOutOfRangeException.ThrowIfEqual(MigItems, 1, nameof(MigItems));
        ArgumentOutOfRangeException.ThrowIfLessThan(MigBins, 2, nameof(MigBins));
        return this;
    }
}
