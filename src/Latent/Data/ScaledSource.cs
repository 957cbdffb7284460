using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// A feature source whose rows are mapped from [min, max] to [0, 1] as they are copied out: the scaling of
/// <see cref="UnitScaling"/> applied batch by batch to data that is not held in memory.
/// </summary>
/// <remarks>
/// Each value is computed as <see cref="Dataset.ScaleToUnit(float, float)"/> computes it, (x − min) · (1 / (max − min))
/// in float, so the rows are bitwise those of the scaled in-memory data set. An empty range (max = min) gives zeros,
/// as <see cref="Dataset.ScaleToUnit()"/> does.
/// </remarks>
internal sealed class ScaledSource : IFeatureSource
{
    private readonly IFeatureSource _source;
    private readonly float _min;
    private readonly float _scale;

    public ScaledSource(IFeatureSource source, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _min = min;
        _scale = max > min ? 1f / (max - min) : 0f;
    }

    public string Name => _source.Name;

    public int Count => _source.Count;

    public int Dimension => _source.Dimension;

    public ImageShape? ImageShape => _source.ImageShape;

    public bool HasLabels => _source.HasLabels;

    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        _source.CopyRows(indices, destination);
        if (_scale == 0f)
        {
            destination.Clear();
            return;
        }

        TensorPrimitives.Subtract(destination, _min, destination);
        TensorPrimitives.Multiply(destination, _scale, destination);
    }

    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination) => _source.CopyLabels(indices, destination);
}
