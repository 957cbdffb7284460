namespace Latent.Data;

/// <summary>How a <see cref="Batcher"/> cuts epochs into mini-batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Items per batch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Whether each epoch visits the items in a fresh seeded random order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to skip the last batch when it is smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// Whether each batch is replaced by a Bernoulli sample of its values (probabilities in [0, 1]), drawn
    /// afresh every epoch from the seeded stream.
    /// </summary>
    public bool DynamicBinarization { get; init; }
}
