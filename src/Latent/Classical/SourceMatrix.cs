using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The items of a feature source as the one matrix the classical fits work on.</summary>
internal static class SourceMatrix
{
    // About 4 MB of float32 per batch.
    private const int BatchValues = 1 << 20;

    /// <summary>
    /// The items of <paramref name="source"/> as a matrix [n, d]: an in-memory source's own storage, otherwise
    /// read in order through the <see cref="Batcher"/> and gathered in memory.
    /// </summary>
    /// <remarks>
    /// Only the Gaussian mixture still gathers its data (its EM keeps centred and stacked copies of it); PCA,
    /// probabilistic PCA, factor analysis and k-means read any source block by block (<see cref="SourceBlocks"/>).
    /// </remarks>
    public static Tensor Gather(IFeatureSource source, string paramName)
    {
        ArgumentNullException.ThrowIfNull(source, paramName);
        switch (source)
        {
            case Dataset dataset:
                return dataset.Features;
            case TensorSource tensor:
                return tensor.Data;
        }

        if (source.Count == 0 || source.Dimension == 0)
        {
            throw new ArgumentException($"The data '{source.Name}' is empty ({source.Count} × {source.Dimension}).", paramName);
        }

        int d = source.Dimension;
        var matrix = Tensor.Zeros(source.Count, d);
        using var batcher = new Batcher(source, BatchOptions.Sequential(Math.Clamp(BatchValues / d, 1, source.Count)));
        foreach (var batch in batcher.NextEpoch())
        {
            batch.Features.Span.CopyTo(matrix.Span.Slice(batch.Offset * d, batch.Size * d));
        }

        return matrix;
    }
}
