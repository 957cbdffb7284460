namespace Latent.Evaluation;

/// <summary>
/// A uniform grid on [<see cref="Min"/>, <see cref="Max"/>] for integrating 1-D densities by the midpoint-free
/// rectangle rule ∫f ≈ h Σᵢ f(xᵢ) (spectrally accurate for smooth densities that vanish at both ends).
/// </summary>
public sealed class DensityGrid
{
    /// <summary>A grid of <paramref name="points"/> equally spaced points from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public DensityGrid(double min, double max, int points)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
        {
            throw new ArgumentException($"The grid's range [{min}, {max}] is empty or not finite.", nameof(max));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(points, 3);
        Min = min;
        Max = max;
        Step = (max - min) / (points - 1);
        var x = new double[points];
        for (int i = 0; i < points; i++)
        {
            x[i] = min + (i * Step);
        }

        Points = x;
    }

    /// <summary>The first point.</summary>
    public double Min { get; }

    /// <summary>The last point.</summary>
    public double Max { get; }

    /// <summary>The spacing h.</summary>
    public double Step { get; }

    /// <summary>The points xᵢ.</summary>
    public IReadOnlyList<double> Points { get; }

    /// <summary>
    /// A grid that holds <paramref name="p"/> and any Gaussian fitted to it: from the smallest μₖ − <paramref name="widths"/>·σₖ
    /// (and mean − widths·sd) to the largest μₖ + widths·σₖ (and mean + widths·sd).
    /// </summary>
    public static DensityGrid Around(GaussianMixture1D p, double widths = 12, int points = 2001)
    {
        ArgumentNullException.ThrowIfNull(p);
        double min = p.Mean - (widths * p.StandardDeviation), max = p.Mean + (widths * p.StandardDeviation);
        foreach (var (_, mean, sigma) in p.Components)
        {
            min = Math.Min(min, mean - (widths * sigma));
            max = Math.Max(max, mean + (widths * sigma));
        }

        return new DensityGrid(min, max, points);
    }

    /// <summary>log p at every point.</summary>
    public double[] LogDensity(GaussianMixture1D p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Points.Select(p.LogDensity).ToArray();
    }

    /// <summary>log N(x; <paramref name="mean"/>, <paramref name="sigma"/>²) at every point, into <paramref name="destination"/>.</summary>
    public void GaussianLogDensity(double mean, double sigma, Span<double> destination)
    {
        if (destination.Length != Points.Count)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values for {Points.Count} points.", nameof(destination));
        }

        double offset = -Math.Log(sigma) - (0.5 * Math.Log(2 * Math.PI)), precision = 1 / sigma;
        for (int i = 0; i < destination.Length; i++)
        {
            double z = (Min + (i * Step) - mean) * precision;
            destination[i] = offset - (0.5 * z * z);
        }
    }
}
