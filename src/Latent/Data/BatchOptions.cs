namespace Latent.Data;

/// <summary>How a <see cref="Batcher"/> cuts epochs into mini-batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Items per batch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Whether each epoch visits the items in a fresh seeded random order (false: in source order, for inference).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to skip the last batch when it is smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// Whether each batch is replaced by a Bernoulli sample of its values (probabilities in [0, 1]), drawn
    /// afresh every epoch from the seeded stream.
    /// </summary>
    public bool DynamicBinarization { get; init; }

    /// <summary>
    /// Whether batches are shaped [n, C, H, W] from the source's <see cref="IFeatureSource.ImageShape"/>
    /// instead of [n, d] (the same storage either way; a source without an image shape is refused).
    /// </summary>
    public bool ImageBatches { get; init; }

    /// <summary>In source order, for inference and evaluation: no shuffling, no binarisation, every item.</summary>
    public static BatchOptions Sequential(int batchSize) => new() { BatchSize = batchSize, Shuffle = false };
}
