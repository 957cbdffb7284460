using Latent.Tensors;

namespace Latent.Data;

/// <summary>Per-feature mean and standard deviation of a training set, to standardise any split the same way.</summary>
/// <remarks>
/// x′ⱼ = (xⱼ − μⱼ) / σⱼ with μⱼ the mean and σⱼ the population standard deviation of feature j, accumulated
/// in double precision. A constant feature (σⱼ = 0) gets σⱼ = 1, so it maps to 0 rather than to NaN.
/// </remarks>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardizer(float[] mean, float[] standardDeviation)
    {
        _mean = mean;
        StandardDeviation = standardDeviation;
        _scale = standardDeviation.Select(s => 1f / s).ToArray();
    }

    /// <summary>The feature means μ.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The feature standard deviations σ (1 where a feature is constant).</summary>
    public IReadOnlyList<float> StandardDeviation { get; }

    /// <summary>Measures the per-feature statistics of <paramref name="dataset"/>.</summary>
    public static Standardizer Fit(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int d = dataset.Dimension, n = dataset.Count;
        if (n == 0)
        {
            throw new ArgumentException($"{dataset.Name} is empty.", nameof(dataset));
        }

        var sum = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = dataset.Row(i);
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
            }
        }

        var mean = sum.Select(s => s / n).ToArray();
        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = dataset.Row(i);
            for (int j = 0; j < d; j++)
            {
                double centred = row[j] - mean[j];
                squares[j] += centred * centred;
            }
        }

        var deviation = squares.Select(s => Math.Sqrt(s / n)).Select(s => s > 1e-12 ? (float)s : 1f).ToArray();
        return new Standardizer(mean.Select(m => (float)m).ToArray(), deviation);
    }

    /// <summary>Standardises <paramref name="dataset"/> with these statistics.</summary>
    public Dataset Apply(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Dimension != _mean.Length)
        {
            throw new ArgumentException($"{dataset.Name} has {dataset.Dimension} features; these statistics are for {_mean.Length}.", nameof(dataset));
        }

        var features = dataset.Features.Clone();
        for (int i = 0; i < dataset.Count; i++)
        {
            var row = features.Row(i);
            TensorPrimitives.Subtract(row, _mean, row);
            TensorPrimitives.Multiply(row, _scale, row);
        }

        return new Dataset(dataset.Name, features, dataset.Labels, dataset.ImageShape, dataset.ClassNames);
    }
}
