using Latent.Data;
using Latent.Tensors;

namespace Latent.Cli;

/// <summary>
/// Where a command writes a table of numbers (codes, labels): the format follows the file's extension, .npy or
/// .csv, and any other extension is refused before the command does its work.
/// </summary>
internal static class TableOutput
{
    /// <summary>Throws unless <paramref name="path"/> ends in .npy or .csv (checked before anything is computed or written).</summary>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsNpy(path) && !IsCsv(path))
        {
            throw new ArgumentException($"--out: '{path}' should end in .npy or .csv (the format follows the extension).");
        }
    }

    /// <summary>Writes <paramref name="values"/> (with the items' labels and column names in a CSV) in the format of <paramref name="path"/>'s extension.</summary>
    public static void Write(string path, Tensor values, IReadOnlyList<int>? labels = null, IReadOnlyList<string>? names = null)
    {
        Check(path);
        if (IsNpy(path))
        {
            Npy.Write(path, values);
        }
        else
        {
            Csv.Write(path, values, labels, names);
        }
    }

    /// <summary>Writes one integer per item: an int32 NPY vector, or a CSV with a "label" column.</summary>
    public static void WriteLabels(string path, int[] labels)
    {
        Check(path);
        if (IsNpy(path))
        {
            Npy.WriteLabels(path, labels);
            return;
        }

        var text = new System.Text.StringBuilder("label\n");
        foreach (int label in labels)
        {
            text.Append(label.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        Serialization.AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static bool IsNpy(string path) => string.Equals(Path.GetExtension(path), ".npy", StringComparison.OrdinalIgnoreCase);

    private static bool IsCsv(string path) => string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase);
}
