using System.Globalization;
using Latent.Data;

namespace Latent.Cli;

/// <summary>The data loading the commands share: a data set by catalog name or path, scaled by the library's one rule.</summary>
internal static class CliData
{
    /// <summary>
    /// Raw IDX and NPY files whose values take more than this as float32 are read memory-mapped by the commands that
    /// can (<see cref="Open"/>); smaller ones are loaded whole, which costs little and keeps every command's path the same.
    /// </summary>
    public const long MappedBytes = 256L << 20;

    /// <summary>
    /// A data set by catalog name or path, scaled by <see cref="UnitScaling.Apply(Dataset)"/>, checked against the
    /// model's input size when <paramref name="expectedInputs"/> is given, and cut to its first
    /// <paramref name="limit"/> items when that is given (after scaling, so a prefix has the whole set's scale).
    /// </summary>
    public static Dataset Load(string spec, int? expectedInputs = null, int? limit = null)
    {
        var data = UnitScaling.Apply(new DatasetCatalog().Load(spec));
        CheckInputs(spec, data, expectedInputs);
        return CheckLimit(limit) is int n && n < data.Count ? Dataset.FromSource(data, Enumerable.Range(0, n).ToArray()) : data;
    }

    /// <summary>
    /// As <see cref="Load"/>, except that a raw IDX or NPY file larger than <see cref="MappedBytes"/> (as float32) stays
    /// memory-mapped: its scale is found in one streamed pass and applied to each batch as it is read, --limit takes a
    /// view of its first items, and nothing is loaded whole. The values are bitwise those <see cref="Load"/> gives.
    /// </summary>
    /// <param name="spec">The data set's catalog name or path.</param>
    /// <param name="expectedInputs">The model's input size, to check, or null.</param>
    /// <param name="limit">Keep only the first items, or null.</param>
    /// <param name="mappedBytes">The size above which a raw file stays mapped (<see cref="MappedBytes"/>; 0 maps any).</param>
    public static IFeatureSource Open(string spec, int? expectedInputs = null, int? limit = null, long mappedBytes = MappedBytes)
    {
        var catalog = new DatasetCatalog();
        IFeatureSource opened = catalog.Open(spec);
        if (opened is not MappedSource mapped || (long)mapped.Count * mapped.Dimension * sizeof(float) <= mappedBytes)
        {
            (opened as IDisposable)?.Dispose();
            return Load(spec, expectedInputs, limit);
        }

        CheckInputs(spec, mapped, expectedInputs);
        int? n = CheckLimit(limit);
        IFeatureSource data = UnitScaling.Apply(mapped);
        return n is int first && first < data.Count ? SourceSubset.First(data, first) : data;
    }

    /// <summary>A line describing <paramref name="data"/>, as <see cref="Dataset.ToString"/> does for a data set in memory.</summary>
    public static string Describe(IFeatureSource data) => data is Dataset dataset
        ? dataset.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{data.Name}: {data.Count} × {(data.ImageShape is { } shape ? shape.ToString() : data.Dimension.ToString(CultureInfo.InvariantCulture))} (memory-mapped)");

    private static void CheckInputs(string spec, IFeatureSource data, int? expectedInputs)
    {
        if (expectedInputs is { } expected && data.Dimension != expected)
        {
            throw new ArgumentException($"Data '{spec}' has {data.Dimension} features per item; the model takes {expected}.");
        }
    }

    private static int? CheckLimit(int? limit) => limit is int n && n <= 0 ? throw new ArgumentException($"--limit must be positive, not {n}.") : limit;
}
