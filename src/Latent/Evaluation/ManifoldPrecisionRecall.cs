using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// Improved precision and recall of a generated distribution against the real one (Kynkäänniemi et al. 2019),
/// in a feature space: precision is the share of generated items that fall inside the real items' manifold,
/// recall the share of real items that fall inside the generated items' manifold.
/// </summary>
/// <remarks>
/// A set's manifold is the union of balls centred on its items, each with the radius of the distance to the
/// item's k-th nearest neighbour within the set (k = <see cref="DefaultK"/> = 3, the paper's choice). An item
/// lies inside when it is within the radius of at least one ball. Precision falls when samples are unrealistic,
/// recall when they cover only part of the data (mode collapse). Distances are Euclidean.
/// </remarks>
public static class ManifoldPrecisionRecall
{
    /// <summary>The paper's neighbourhood size.</summary>
    public const int DefaultK = 3;

    /// <summary>(precision, recall) of the rows of <paramref name="generated"/> against the rows of <paramref name="real"/>.</summary>
    /// <exception cref="ArgumentException">The column counts differ, or a set has no more than <paramref name="k"/> rows.</exception>
    public static (double Precision, double Recall) Measure(Tensor real, Tensor generated, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (real.Rank != 2 || generated.Rank != 2 || real.Columns != generated.Columns)
        {
            throw new ArgumentException($"Feature sets [{string.Join(", ", real.Shape)}] and [{string.Join(", ", generated.Shape)}] must be matrices with the same number of columns.", nameof(generated));
        }

        if (real.Rows <= k || generated.Rows <= k)
        {
            throw new ArgumentException($"Manifolds of k = {k} nearest neighbours need more than {k} items in each set (got {real.Rows} real, {generated.Rows} generated).", nameof(generated));
        }

        double[] realRadii = KthNeighbourDistances(real, k);
        double[] generatedRadii = KthNeighbourDistances(generated, k);
        return (ShareInside(generated, real, realRadii), ShareInside(real, generated, generatedRadii));
    }

    /// <summary>The distance from each row of <paramref name="rows"/> to its k-th nearest other row.</summary>
    internal static double[] KthNeighbourDistances(Tensor rows, int k)
    {
        int n = rows.Rows;
        var radii = new double[n];
        Parallel.For(0, n, () => new double[k + 1], (i, _, nearest) =>
        {
            // The k + 1 smallest, ascending, including the row itself at distance 0.
            nearest.AsSpan().Fill(double.PositiveInfinity);
            var row = rows.Row(i);
            for (int j = 0; j < n; j++)
            {
                double distance = Distance(row, rows.Row(j));
                if (distance < nearest[k])
                {
                    int at = k;
                    while (at > 0 && nearest[at - 1] > distance)
                    {
                        nearest[at] = nearest[at - 1];
                        at--;
                    }

                    nearest[at] = distance;
                }
            }

            radii[i] = nearest[k];
            return nearest;
        }, _ => { });
        return radii;
    }

    // The share of the rows of `items` within the radius of at least one row of `centres`.
    private static double ShareInside(Tensor items, Tensor centres, double[] radii)
    {
        int inside = 0;
        Parallel.For(0, items.Rows, () => 0, (i, _, count) =>
        {
            var row = items.Row(i);
            for (int j = 0; j < centres.Rows; j++)
            {
                if (Distance(row, centres.Row(j)) <= radii[j])
                {
                    return count + 1;
                }
            }

            return count;
        }, count => Interlocked.Add(ref inside, count));
        return (double)inside / items.Rows;
    }

    // Euclidean, by the vectorised TensorPrimitives.Distance (float sums: ample for comparing feature distances).
    private static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Distance(a, b);
}
