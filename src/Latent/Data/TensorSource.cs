using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// A tensor seen as a feature source, without copying: item i is row i of its matrix view (the first
/// dimension by the product of the others), so the <see cref="Batcher"/> can read a tensor as it reads a file.
/// </summary>
/// <remarks>
/// The Tensor-taking overloads of the trainer, the models and the evaluations wrap their argument in one.
/// A tensor of rank 3 [n, H, W] or rank 4 [n, C, H, W] (C of 1, 3 or 4) gives its items an image shape.
/// </remarks>
public sealed class TensorSource : IFeatureSource
{
    /// <summary>Wraps <paramref name="data"/> (kept, not copied).</summary>
    public TensorSource(Tensor data, string name = "data", ImageShape? imageShape = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(name);
        if (imageShape is { } shape && shape.Size != data.Columns)
        {
            throw new ArgumentException($"Image shape {shape} holds {shape.Size} values but an item of {data} has {data.Columns}.", nameof(imageShape));
        }

        Data = data;
        Name = name;
        ImageShape = imageShape ?? ShapeRules.ImageShapeOf(data.Shape);
    }

    /// <summary>The wrapped tensor.</summary>
    public Tensor Data { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => Data.Rows;

    /// <inheritdoc/>
    public int Dimension => Data.Columns;

    /// <inheritdoc/>
    public ImageShape? ImageShape { get; }

    /// <inheritdoc/>
    public bool HasLabels => false;

    /// <inheritdoc/>
    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        SourceChecks.Rows(this, indices, destination.Length);
        int d = Dimension;
        var all = Data.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            all.Slice(indices[i] * d, d).CopyTo(destination.Slice(i * d, d));
        }
    }

    /// <inheritdoc/>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination) => SourceChecks.Labels(this, indices, destination.Length);
}
