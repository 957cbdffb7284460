using Latent.Data;

namespace Latent.Cli;

/// <summary>The data loading the commands share: a data set by catalog name or path, scaled by the library's one rule.</summary>
internal static class CliData
{
    /// <summary>
    /// A data set by catalog name or path, scaled by <see cref="UnitScaling.Apply"/>, checked against the
    /// model's input size when <paramref name="expectedInputs"/> is given, and cut to its first
    /// <paramref name="limit"/> items when that is given (after scaling, so a prefix has the whole set's scale).
    /// </summary>
    public static Dataset Load(string spec, int? expectedInputs = null, int? limit = null)
    {
        var data = UnitScaling.Apply(new DatasetCatalog().Load(spec));
        if (expectedInputs is { } expected && data.Dimension != expected)
        {
            throw new ArgumentException($"Data '{spec}' has {data.Dimension} features per item; the model takes {expected}.");
        }

        if (limit is int n)
        {
            if (n <= 0)
            {
                throw new ArgumentException($"--limit must be positive, not {n}.");
            }

            if (n < data.Count)
            {
                data = Dataset.FromSource(data, Enumerable.Range(0, n).ToArray());
            }
        }

        return data;
    }
}
