using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// One mini-batch: features [size, d] (or [size, C, H, W] with <see cref="BatchOptions.ImageBatches"/>) and,
/// when the source has them, labels. The storage belongs to the <see cref="Batcher"/> and is overwritten by
/// the next batch.
/// </summary>
public readonly struct Batch
{
    internal Batch(Tensor features, ReadOnlyMemory<int> labels, ReadOnlyMemory<int> indices, int number, int offset)
    {
        Features = features;
        Labels = labels;
        Indices = indices;
        Number = number;
        Offset = offset;
    }

    /// <summary>The features, [Size, d] or [Size, C, H, W].</summary>
    public Tensor Features { get; }

    /// <summary>The labels (empty when the source has none).</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>The source indices of the items, in batch order.</summary>
    public ReadOnlyMemory<int> Indices { get; }

    /// <summary>The position of this batch in its epoch, from 0.</summary>
    public int Number { get; }

    /// <summary>
    /// The position in the epoch of the batch's first item (<see cref="Number"/> × batch size): in an unshuffled
    /// epoch, the source index of the first item, where a consumer writes the batch's results.
    /// </summary>
    public int Offset { get; }

    /// <summary>Number of items.</summary>
    public int Size => Features.Rows;
}
