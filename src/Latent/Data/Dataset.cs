using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// An in-memory data set: float32 features [n, d], optional integer labels (with optional class names),
/// optional image shape, a name.
/// Every operation returns a new data set and leaves this one unchanged.
/// </summary>
public sealed class Dataset : IFeatureSource
{
    private readonly int[]? _labels;
    private readonly string[]? _classNames;

    /// <summary>Creates a data set over <paramref name="features"/> (a matrix [n, d]; kept, not copied).</summary>
    /// <param name="name">The data set's name.</param>
    /// <param name="features">The features [n, d].</param>
    /// <param name="labels">Non-negative integer labels, one per item, or null.</param>
    /// <param name="imageShape">The shape of an item as an image, or null.</param>
    /// <param name="classNames">The name of each class (label c is named classNames[c]; distinct, not empty), or null; needs labels.</param>
    public Dataset(string name, Tensor features, IReadOnlyList<int>? labels = null, ImageShape? imageShape = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2)
        {
            throw new ArgumentException($"Features are a matrix [n, d], not {features}.", nameof(features));
        }

        if (labels is not null && labels.Count != features.Rows)
        {
            throw new ArgumentException($"{labels.Count} labels for {features.Rows} items.", nameof(labels));
        }

        if (imageShape is { } shape && shape.Size != features.Columns)
        {
            throw new ArgumentException($"Image shape {shape} holds {shape.Size} values but an item has {features.Columns}.", nameof(imageShape));
        }

        if (labels is not null)
        {
            _labels = labels.ToArray();
            foreach (int label in _labels)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            }
        }

        if (classNames is not null)
        {
            if (_labels is null)
            {
                throw new ArgumentException("Class names need labels.", nameof(classNames));
            }

            if (classNames.Any(string.IsNullOrEmpty) || classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Count)
            {
                throw new ArgumentException($"Class names must be distinct and not empty: {string.Join(", ", classNames)}.", nameof(classNames));
            }

            if (_labels.Length > 0 && _labels.Max() >= classNames.Count)
            {
                throw new ArgumentException($"Label {_labels.Max()} has no name among the {classNames.Count} class names.", nameof(classNames));
            }

            _classNames = classNames.ToArray();
        }

        Name = name;
        Features = features;
        ImageShape = imageShape;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The features, [n, d].</summary>
    public Tensor Features { get; }

    /// <summary>The labels (non-negative integers), or null.</summary>
    public IReadOnlyList<int>? Labels => _labels;

    /// <inheritdoc/>
    public ImageShape? ImageShape { get; }

    /// <inheritdoc/>
    public int Count => Features.Rows;

    /// <inheritdoc/>
    public int Dimension => Features.Columns;

    /// <inheritdoc/>
    public bool HasLabels => _labels is not null;

    /// <summary>The names of the classes (label c is named ClassNames[c]; e.g. a CSV's text labels), or null.</summary>
    public IReadOnlyList<string>? ClassNames => _classNames;

    /// <summary>The number of class names when there are names, else one more than the largest label (0 without labels).</summary>
    public int ClassCount => _classNames?.Length ?? (_labels is { Length: > 0 } ? _labels.Max() + 1 : 0);

    /// <summary>Row <paramref name="index"/> of the features.</summary>
    public ReadOnlySpan<float> Row(int index) => Features.Row(index);

    /// <inheritdoc/>
    public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination)
    {
        SourceChecks.Rows(this, indices, destination.Length);
        int d = Dimension;
        for (int i = 0; i < indices.Length; i++)
        {
            Features.Row(indices[i]).CopyTo(destination.Slice(i * d, d));
        }
    }

    /// <inheritdoc/>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination)
    {
        SourceChecks.Labels(this, indices, destination.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            destination[i] = _labels![indices[i]];
        }
    }

    /// <summary>Copies every item of <paramref name="source"/> into memory.</summary>
    public static Dataset FromSource(IFeatureSource source) => FromSource(source, Enumerable.Range(0, source?.Count ?? 0).ToArray());

    /// <summary>Copies the items <paramref name="indices"/> of <paramref name="source"/> into memory.</summary>
    public static Dataset FromSource(IFeatureSource source, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        var features = Tensor.Zeros(indices.Length, source.Dimension);
        source.CopyRows(indices, features.Span);
        int[]? labels = null;
        if (source.HasLabels)
        {
            labels = new int[indices.Length];
            source.CopyLabels(indices, labels);
        }

        return new Dataset(source.Name, features, labels, source.ImageShape, (source as Dataset)?._classNames);
    }

    /// <summary>The items <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices) => WithName(FromSource(this, indices), Name);

    /// <summary>The first <paramref name="count"/> items.</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return Subset(Enumerable.Range(0, count).ToArray());
    }

    /// <summary>Linearly maps [<paramref name="min"/>, <paramref name="max"/>] to [0, 1].</summary>
    /// <remarks>x′ = (x − min) / (max − min). Use the training split's range for every split.</remarks>
    public Dataset ScaleToUnit(float min, float max)
    {
        if (!(max > min) || !float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new ArgumentException($"The range [{min}, {max}] is empty or not finite.", nameof(max));
        }

        var scaled = Features.Clone();
        TensorPrimitives.Subtract(scaled.Span, min, scaled.Span);
        TensorPrimitives.Multiply(scaled.Span, 1f / (max - min), scaled.Span);
        return With(scaled);
    }

    /// <summary>Maps the observed range of all values to [0, 1] (a constant data set maps to 0).</summary>
    public Dataset ScaleToUnit()
    {
        if (Features.Length == 0)
        {
            return With(Features.Clone());
        }

        float min = TensorPrimitives.Min(Features.Span), max = TensorPrimitives.Max(Features.Span);
        return max > min ? ScaleToUnit(min, max) : With(Tensor.Zeros(Count, Dimension));
    }

    /// <summary>Standardises each feature to mean 0 and standard deviation 1, returning the statistics for other splits.</summary>
    public Dataset Standardize(out Standardizer statistics)
    {
        statistics = Standardizer.Fit(this);
        return statistics.Apply(this);
    }

    /// <summary>Static binarisation: 1 where a value exceeds <paramref name="threshold"/>, else 0.</summary>
    public Dataset Binarize(float threshold = 0.5f)
    {
        var binary = Features.Clone();
        var span = binary.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = span[i] > threshold ? 1f : 0f;
        }

        return With(binary);
    }

    /// <summary>
    /// One draw of dynamic binarisation: each value, a probability in [0, 1], becomes 1 with that probability.
    /// For a fresh draw every epoch, give the <see cref="Batcher"/> <see cref="BatchOptions.DynamicBinarization"/>.
    /// </summary>
    public Dataset SampleBinary(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckProbabilities(Features.Span, Name);
        var sample = Tensor.Zeros(Count, Dimension);
        rng.FillBernoulli(Features.Span, sample.Span);
        return With(sample);
    }

    /// <summary>
    /// Splits into training and validation sets, seeded. With labels the split is stratified: each class
    /// gives round(fraction · its size) items to validation, so both sets keep the class proportions.
    /// </summary>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, ulong seed)
    {
        (int[] train, int[] validation) = ValidationSplit.Indices(Count, _labels, validationFraction, seed);
        return (WithName(Subset(train), $"{Name}/train"), WithName(Subset(validation), $"{Name}/validation"));
    }

    /// <summary>The same data under another name.</summary>
    public Dataset Rename(string name) => WithName(this, name);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {Count} × {(ImageShape is { } s ? s.ToString() : Dimension.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(HasLabels ? $", {ClassCount} classes" : string.Empty)}";

    internal static void CheckProbabilities(ReadOnlySpan<float> values, string name)
    {
        if (values.Length > 0 && (TensorPrimitives.Min(values) < 0f || TensorPrimitives.Max(values) > 1f))
        {
            throw new InvalidOperationException($"{name}: dynamic binarisation needs values in [0, 1]; scale the data first.");
        }
    }

    private Dataset With(Tensor features) => new(Name, features, _labels, ImageShape, _classNames);

    private static Dataset WithName(Dataset dataset, string name) => new(name, dataset.Features, dataset._labels, dataset.ImageShape, dataset._classNames);
}
