using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Data;

/// <summary>Loads IDX and NPY arrays (told apart by their content) as data sets and label vectors.</summary>
public static class ArrayFiles
{
    /// <summary>Reads an IDX (raw or gzip) or NPY array.</summary>
    public static NumericArray Read(string path)
    {
        var bytes = FormatLimits.ReadFile(path);

        // The content decides, except that a file named .npy is held to NPY so that its error speaks of NPY.
        bool npy = (bytes.Length >= 6 && bytes[0] == 0x93) || path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        return npy ? Npy.Parse(bytes, path) : Idx.Parse(bytes, path);
    }

    /// <summary>
    /// Loads features from <paramref name="featuresPath"/> (first dimension = items) and optional labels
    /// from <paramref name="labelsPath"/>.
    /// </summary>
    public static Dataset Load(string featuresPath, string? labelsPath = null, string? name = null)
    {
        var array = Read(featuresPath);
        if (array.Shape.Length == 1)
        {
            throw new DataFormatException(featuresPath, $"the array is a vector of {array.Shape[0]}; features need a shape [n, ...].");
        }

        int[]? labels = labelsPath is null ? null : ReadLabels(labelsPath, array.Rows);
        var features = Tensor.FromArray(array.Values, array.Rows, array.RowLength);
        return new Dataset(name ?? Path.GetFileNameWithoutExtension(featuresPath), features, labels, ShapeRules.ImageShapeOf(array.Shape));
    }

    /// <summary>Reads a vector of non-negative integer labels, checking there are <paramref name="expectedCount"/> of them.</summary>
    public static int[] ReadLabels(string path, int expectedCount)
    {
        var array = Read(path);
        if (array.Shape.Length != 1 && !(array.Shape.Length == 2 && array.Shape[1] == 1))
        {
            throw new DataFormatException(path, $"labels are a vector, not an array of shape [{string.Join(", ", array.Shape)}].");
        }

        if (array.Rows != expectedCount)
        {
            throw new DataFormatException(path, $"there are {array.Rows:N0} labels for {expectedCount:N0} items.");
        }

        var labels = new int[array.Rows];
        for (int i = 0; i < labels.Length; i++)
        {
            float v = array.Values[i];
            if (v < 0 || v != MathF.Floor(v) || v > 1 << 24)
            {
                throw new DataFormatException(path, $"label {i} is {v}, not a non-negative integer.");
            }

            labels[i] = (int)v;
        }

        return labels;
    }
}
