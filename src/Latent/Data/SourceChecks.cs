namespace Latent.Data;

/// <summary>Argument checks shared by the <see cref="IFeatureSource"/> implementations.</summary>
internal static class SourceChecks
{
    public static void Rows(IFeatureSource source, ReadOnlySpan<int> indices, int destinationLength)
    {
        if ((long)indices.Length * source.Dimension != destinationLength)
        {
            throw new ArgumentException($"{indices.Length} rows of {source.Dimension} need {(long)indices.Length * source.Dimension} floats, not {destinationLength}.", "destination");
        }

        foreach (int index in indices)
        {
            if ((uint)index >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"{source.Name} has {source.Count} items.");
            }
        }
    }

    public static void Labels(IFeatureSource source, ReadOnlySpan<int> indices, int destinationLength)
    {
        if (!source.HasLabels)
        {
            throw new InvalidOperationException($"{source.Name} has no labels.");
        }

        if (indices.Length != destinationLength)
        {
            throw new ArgumentException($"{indices.Length} indices but room for {destinationLength} labels.", "destination");
        }

        foreach (int index in indices)
        {
            if ((uint)index >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"{source.Name} has {source.Count} items.");
            }
        }
    }
}
