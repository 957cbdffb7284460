using Latent.Tensors;

namespace Latent.Data;

/// <summary>Seeded synthetic data sets: the same arguments always give the same data.</summary>
public static class Synthetic
{
    /// <summary>
    /// The eight one-hot vectors of length 8 (the 8-3-8 binary-autoencoder example); item i is the unit
    /// vector eᵢ with label i.
    /// </summary>
    public static Dataset OneHot8()
    {
        var features = Tensor.Zeros(8, 8);
        for (int i = 0; i < 8; i++)
        {
            features[i, i] = 1f;
        }

        return new Dataset("onehot8", features, Enumerable.Range(0, 8).ToArray());
    }

    /// <summary>
    /// The InfoVAE paper's two-point data set (Zhao et al. 2017, Fig. 1): <paramref name="count"/> one-dimensional
    /// items, alternately −1 (label 0) and +1 (label 1).
    /// </summary>
    public static Dataset TwoPoints(int count = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var features = Tensor.Zeros(count, 1);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            features[i, 0] = labels[i] == 0 ? -1f : 1f;
        }

        return new Dataset("two-points", features, labels);
    }

    /// <summary>
    /// <paramref name="count"/> points from <paramref name="clusters"/> isotropic Gaussian clusters in
    /// <paramref name="dimension"/> dimensions; labels are the cluster.
    /// </summary>
    /// <remarks>
    /// Centres are drawn uniformly from [−10, 10]^d; point i belongs to cluster i mod k (so the clusters
    /// are balanced) and is its centre plus N(0, <paramref name="spread"/>² I) noise.
    /// </remarks>
    public static Dataset Blobs(int count, int clusters, int dimension, ulong seed, float spread = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clusters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(spread);
        var rng = new Rng(seed);
        var centres = new float[clusters * dimension];
        rng.FillUniform(centres, -10f, 10f);
        var features = Tensor.Zeros(count, dimension);
        rng.FillNormal(features.Span, 0f, spread);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % clusters;
            TensorPrimitives.Add(features.Row(i), centres.AsSpan(labels[i] * dimension, dimension), features.Row(i));
        }

        return new Dataset("blobs", features, labels);
    }

    /// <summary>Two interleaving half circles in 2-D (labels 0 and 1) with Gaussian noise of <paramref name="noise"/>.</summary>
    /// <remarks>
    /// Upper moon: (cos t, sin t); lower moon: (1 − cos t, ½ − sin t); t uniform in [0, π]; the two moons
    /// alternate, so the classes are balanced.
    /// </remarks>
    public static Dataset Moons(int count, ulong seed, float noise = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var rng = new Rng(seed);
        var features = Tensor.Zeros(count, 2);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double t = Math.PI * rng.NextDouble();
            labels[i] = i % 2;
            double x = labels[i] == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double y = labels[i] == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            features[i, 0] = (float)(x + (noise * rng.NextGaussian()));
            features[i, 1] = (float)(y + (noise * rng.NextGaussian()));
        }

        return new Dataset("moons", features, labels);
    }

    /// <summary>
    /// The Swiss roll in 3-D: (t cos t, h, t sin t) with t uniform in [3π/2, 9π/2] and h uniform in [0, 21],
    /// plus Gaussian noise. The label is the position along the roll in <paramref name="bins"/> equal bins of t.
    /// </summary>
    public static Dataset SwissRoll(int count, ulong seed, float noise = 0f, int bins = 6)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        var rng = new Rng(seed);
        var features = Tensor.Zeros(count, 3);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble();
            double t = 1.5 * Math.PI * (1 + (2 * u));
            double h = 21 * rng.NextDouble();
            features[i, 0] = (float)((t * Math.Cos(t)) + (noise * rng.NextGaussian()));
            features[i, 1] = (float)(h + (noise * rng.NextGaussian()));
            features[i, 2] = (float)((t * Math.Sin(t)) + (noise * rng.NextGaussian()));
            labels[i] = Math.Min(bins - 1, (int)(u * bins));
        }

        return new Dataset("swiss-roll", features, labels);
    }
}
