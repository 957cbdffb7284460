using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// One mini-batch: features [size, d] and, when the source has them, labels. The storage belongs to the
/// <see cref="Batcher"/> and is overwritten by the next batch.
/// </summary>
public readonly struct Batch
{
    internal Batch(Tensor features, ReadOnlyMemory<int> labels, ReadOnlyMemory<int> indices)
    {
        Features = features;
        Labels = labels;
        Indices = indices;
    }

    /// <summary>The features, [Size, d].</summary>
    public Tensor Features { get; }

    /// <summary>The labels (empty when the source has none).</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>The source indices of the items, in batch order.</summary>
    public ReadOnlyMemory<int> Indices { get; }

    /// <summary>Number of items.</summary>
    public int Size => Features.Rows;
}
