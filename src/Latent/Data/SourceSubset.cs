using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Some items of a feature source, by index, without copying them: a validation split or a prefix of a data set
/// that is not held in memory (a memory-mapped file).
/// </summary>
public sealed class SourceSubset : IFeatureSource
{
    private readonly IFeatureSource _source;
    private readonly int[] _indices;

    /// <summary>Items <paramref name="indices"/> of <paramref name="source"/> (kept, not copied), named <paramref name="name"/> (the source's name by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the source.</exception>
    public SourceSubset(IFeatureSource source, int[] indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"{source.Name} has {source.Count} items.");
            }
        }

        _source = source;
        _indices = indices;
        Name = name ?? source.Name;
    }

    /// <summary>The first <paramref name="count"/> items of <paramref name="source"/> (all of them when it has no more).</summary>
    public static SourceSubset First(IFeatureSource source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new SourceSubset(source, Enumerable.Range(0, Math.Min(count, source.Count)).ToArray());
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int Dimension => _source.Dimension;

    /// <inheritdoc/>
    public ImageShape? ImageShape => _source.ImageShape;

    /// <inheritdoc/>
    public bool HasLabels => _source.HasLabels;

    /// <inheritdoc/>
    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        SourceChecks.Rows(this, indices, destination.Length);
        _source.CopyRows(Map(indices), destination);
    }

    /// <inheritdoc/>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination)
    {
        SourceChecks.Labels(this, indices, destination.Length);
        _source.CopyLabels(Map(indices), destination);
    }

    private int[] Map(ReadOnlySpan<int> indices)
    {
        var mapped = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            mapped[i] = _indices[indices[i]];
        }

        return mapped;
    }
}
