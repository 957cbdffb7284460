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

    /// <summary>
    /// Samples a generative model draws for the sample-quality measures (<see cref="SampleQuality"/>: Fréchet
    /// distance, classes found, precision and recall), 0 to skip them (the default here; <c>latent eval</c> draws
    /// 10,000). Measured for models that sample from their prior (variational ones) on labelled data.
    /// </summary>
    public int QualitySamples { get; init; }

    /// <summary>Items of each set behind the k-NN precision and recall (their cost is quadratic in it).</summary>
    public int QualityManifoldItems { get; init; } = SampleQuality.DefaultManifoldItems;

    /// <summary>The folder caching the sample-quality classifier (null: train it every time, cache nothing); see <see cref="FeatureClassifier.DefaultCacheFolder"/>.</summary>
    public string? QualityCacheFolder { get; init; }

    /// <summary>
    /// A GAN's discriminator: the real items (a seeded random subset when the data have more) and as many generated
    /// ones its mean P(real) is measured on.
    /// </summary>
    public int DiscriminatorItems { get; init; } = 10_000;

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
        ArgumentOutOfRangeException.ThrowIfNegative(QualitySamples, nameof(QualitySamples));
        if (QualitySamples is > 0 and <= ManifoldPrecisionRecall.DefaultK)
        {
            throw new ArgumentOutOfRangeException(nameof(QualitySamples), QualitySamples, $"The sample-quality measures need 0 (skip) or more than {ManifoldPrecisionRecall.DefaultK} samples.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(DiscriminatorItems, 1, nameof(DiscriminatorItems));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(QualityManifoldItems, ManifoldPrecisionRecall.DefaultK, nameof(QualityManifoldItems));
        return this;
    }
}
