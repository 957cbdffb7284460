using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Data;

/// <summary>Loads IDX and NPY arrays (told apart by their content) as data sets and label vectors.</summary>
public static class ArrayFiles
{
    /// <summary>Reads an IDX (raw or gzip) or NPY array.</summary>
    public static NumericArray Read(string path) => Read(path, null, out _);

    /// <summary>
    /// Loads features from <paramref name="featuresPath"/> (first dimension = items) and optional labels
    /// from <paramref name="labelsPath"/> or, for a structured NPY array, from its field <paramref name="labelField"/>.
    /// </summary>
    public static Dataset Load(string featuresPath, string? labelsPath, string? name, string? labelField)
    {
        if (labelsPath is not null && labelField is not null)
        {
            throw new ArgumentException($"{featuresPath}: give the labels as a file (labels=) or as a field (label=), not both.", nameof(labelField));
        }

        var array = Read(featuresPath, labelField, out int[]? fieldLabels);
        return ToDataset(array, featuresPath, labelsPath is null ? fieldLabels : ReadLabels(labelsPath, array.Rows), name ?? Path.GetFileNameWithoutExtension(featuresPath));
    }

    /// <summary>A data set of <paramref name="array"/>'s rows (it must have two dimensions or more).</summary>
    internal static Dataset ToDataset(NumericArray array, string path, int[]? labels, string name)
    {
        if (array.Shape.Length == 1)
        {
            throw new DataFormatException(path, $"the array is a vector of {array.Shape[0]}; features need a shape [n, ...].");
        }

        if (labels is not null && labels.Length != array.Rows)
        {
            throw new DataFormatException(path, $"there are {labels.Length:N0} labels for {array.Rows:N0} items.");
        }

        var features = Tensor.FromArray(array.Values, array.Rows, array.RowLength);
        return new Dataset(name, features, labels, ShapeRules.ImageShapeOf(array.Shape));
    }

    private static NumericArray Read(string path, string? labelField, out int[]? labels)
    {
        var bytes = FormatLimits.ReadFile(path);

        // The content decides, except that a file named .npy is held to NPY so that its error speaks of NPY.
        bool npy = (bytes.Length >= 6 && bytes[0] == 0x93) || path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        if (npy)
        {
            return Npy.Parse(bytes, path, labelField, out labels);
        }

        labels = null;
        return labelField is null
            ? Idx.Parse(bytes, path)
            : throw RowLayout.NoFields(path, labelField);
    }

    /// <summary>
    /// Loads features from <paramref name="featuresPath"/> (first dimension = items) and optional labels
    /// from <paramref name="labelsPath"/>.
    /// </summary>
    public static Dataset Load(string featuresPath, string? labelsPath = null, string? name = null) => Load(featuresPath, labelsPath, name, null);

    /// <summary>Reads a vector of non-negative integer labels, checking there are <paramref name="expectedCount"/> of them.</summary>
    public static int[] ReadLabels(string path, int expectedCount) => ToLabels(Read(path), expectedCount, path);

    /// <summary>The labels <paramref name="array"/> holds: a vector of <paramref name="expectedCount"/> non-negative integers.</summary>
    internal static int[] ToLabels(NumericArray array, int expectedCount, string path)
    {
        if (array.Shape.Length != 1 && !(array.Shape.Length == 2 && array.Shape[1] == 1))
        {
            throw new DataFormatException(path, $"labels are a vector, not an array of shape [{string.Join(", ", array.Shape)}].");
        }

        if (array.Rows != expectedCount)
        {
            throw new DataFormatException(path, $"there are {array.Rows:N0} labels for {expectedCount:N0} items.");
        }

        return ToLabels(array.Values, path);
    }

    /// <summary>Each value as a label, or an error naming the first that is not a non-negative integer.</summary>
    internal static int[] ToLabels(ReadOnlySpan<float> values, string path)
    {
        var labels = new int[values.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            float v = values[i];
            if (v < 0 || v != MathF.Floor(v) || v > 1 << 24)
            {
                throw new DataFormatException(path, $"label {i} is {v}, not a non-negative integer.");
            }

            labels[i] = (int)v;
        }

        return labels;
    }
}
