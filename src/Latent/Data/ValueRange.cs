using Latent.Tensors;

namespace Latent.Data;

/// <summary>The smallest and largest value of a feature source, taken in one pass over its blocks of rows.</summary>
internal static class ValueRange
{
    /// <summary>
    /// The smallest and largest value of <paramref name="source"/> (read in place when it is in memory, otherwise
    /// block by block), checking every value finite on the way.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite (named with <paramref name="what"/>, its row and column).</exception>
    public static (float Min, float Max) Of(IFeatureSource source, string what)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        SourceBlocks.Of(source).ForEach(block =>
        {
            block.CheckFinite(what);
            min = Math.Min(min, TensorPrimitives.Min<float>(block.Values));
            max = Math.Max(max, TensorPrimitives.Max<float>(block.Values));
        });
        return (min, max);
    }
}
