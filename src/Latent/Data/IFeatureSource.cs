using Latent.Tensors;
namespace Latent.Data;

/// <summary>
/// Rows of float32 features (and optional integer labels) that can be copied out by index: an in-memory
/// <see cref="Dataset"/>, a memory-mapped file, or a generator. The <see cref="Batcher"/> reads any of them.
/// </summary>
public interface IFeatureSource
{
    /// <summary>A short name for messages and pictures.</summary>
    string Name { get; }

    /// <summary>Number of items.</summary>
    int Count { get; }

    /// <summary>Number of features per item.</summary>
    int Dimension { get; }

    /// <summary>The image layout of a row, when the items are images.</summary>
    ImageShape? ImageShape { get; }

    /// <summary>Whether <see cref="CopyLabels"/> may be called.</summary>
    bool HasLabels { get; }

    /// <summary>Copies rows <paramref name="indices"/> into <paramref name="destination"/> (indices.Length × Dimension, row-major).</summary>
    void CopyRows(ReadOnlySpan<int> indices, Span<float> destination);

    /// <summary>Copies the labels of <paramref name="indices"/> into <paramref name="destination"/>.</summary>
    void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination);
}
