using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// The one rule by which the commands that fit or train a model (<c>latent fit</c>, <c>latent train</c>) and
/// those that use one (encode, reconstruct, score, transform, ...) bring data to [0, 1]: by the data's
/// nominal range, so that every split and every later use of a data set sees the same numbers.
/// </summary>
/// <remarks>
/// With m and M the smallest and largest value of the whole data set:
/// <list type="number">
/// <item>data in [0, 1] (0 ≤ m, M ≤ 1) stay as they are;</item>
/// <item>non-negative data up to 16 (4-bit, as digits-8x8's 0 to 16) are divided by 16;</item>
/// <item>non-negative data up to 255 (8-bit, as IDX and PNG images) are divided by 255;</item>
/// <item>images beyond those ranges (negative values, or values above 255) are mapped from their observed
/// range: x′ = (x − m) / (M − m);</item>
/// <item>other data beyond those ranges (negative values, or values above 255: coordinates and measurements
/// such as the moons, blobs and swiss-roll sets) stay as they are.</item>
/// </list>
/// A fixed divisor (rules 2 and 3) rather than the observed range keeps a data set and any subset or other
/// split of it on one scale: an 8-bit test image whose brightest pixel is 200 is still divided by 255.
/// Images are always brought to [0, 1] because the image likelihoods and pictures expect it; data in their own
/// units are left alone because their units carry meaning (PCA, k-means and Gaussian mixtures take them as
/// they are, and shifting them would move the origin), and a model that needs [0, 1] (a Bernoulli
/// likelihood) says so when it is given other values. Data already in a nominal 4-bit or 8-bit range are
/// counts or intensities, whatever their shape, and are scaled like images.
/// </remarks>
public static class UnitScaling
{
    /// <summary>The nominal ranges tried in turn, as their upper ends (the lower end is 0).</summary>
    private static readonly float[] s_nominalRanges = [1f, 16f, 255f];

    /// <summary>The range that the rule maps to [0, 1] for <paramref name="data"/>, or null when the data stay as they are.</summary>
    /// <returns>(0, 16) or (0, 255) for nominal ranges, the observed (m, M) for images beyond them, otherwise null.</returns>
    public static (float Min, float Max)? Range(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0 || data.Dimension == 0)
        {
            return null;
        }

        float min = TensorPrimitives.Min(data.Features.Span), max = TensorPrimitives.Max(data.Features.Span);
        return Rule(min, max, data.ImageShape is not null);
    }

    /// <summary>
    /// As <see cref="Range(Dataset)"/> for any feature source: in memory read in place, otherwise in one pass over
    /// its rows, block by block, so that a memory-mapped file is never loaded whole.
    /// </summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite (named with its row and column).</exception>
    public static (float Min, float Max)? Range(IFeatureSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is Dataset dataset)
        {
            return Range(dataset);
        }

        if (data.Count == 0 || data.Dimension == 0)
        {
            return null;
        }

        (float min, float max) = ValueRange.Of(data, $"Data '{data.Name}'");
        return Rule(min, max, data.ImageShape is not null);
    }

    /// <summary>Applies the rule (see the remarks on <see cref="UnitScaling"/>) to any feature source.</summary>
    /// <returns>
    /// A <see cref="Dataset"/> as <see cref="Apply(Dataset)"/> returns it; any other source (a memory-mapped file)
    /// itself when it stays as it is, otherwise a view that scales its rows as they are read, bitwise as the
    /// scaled in-memory data set: the range is taken in one streamed pass and nothing is loaded whole.
    /// </returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite (named with its row and column).</exception>
    public static IFeatureSource Apply(IFeatureSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is Dataset dataset)
        {
            return Apply(dataset);
        }

        return Range(data) is (float min, float max) ? new ScaledSource(data, min, max) : data;
    }

    /// <summary>The range the rule maps to [0, 1] for data whose values span [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static (float Min, float Max)? Rule(float min, float max, bool image)
    {
        if (min >= 0)
        {
            foreach (float top in s_nominalRanges)
            {
                if (max <= top)
                {
                    return top == 1f ? null : (0f, top);
                }
            }
        }

        return image ? (min, max) : null;
    }

    /// <summary>Applies the rule (see the remarks on <see cref="UnitScaling"/>) and returns the scaled data, or <paramref name="data"/> itself when they stay as they are.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite (named with its row and column): no range can be taken from it.</exception>
    public static Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        FiniteValues.Check(data.Features, $"Data '{data.Name}'");
        return Range(data) switch
        {
            null => data,
            (float min, float max) when max > min && float.IsFinite(min) && float.IsFinite(max) => data.ScaleToUnit(min, max),
            _ => data.ScaleToUnit(),
        };
    }
}
