namespace MlNetClassical;

/// <summary>
/// The quality figures, computed here from what ML.NET returns and in the same way as Latent and scikit-learn
/// report them, so that the three tables compare like with like.
/// </summary>
internal static class Quality
{
    /// <summary>k-means inertia: the sum over rows of the squared distance to the nearest centroid (in double).</summary>
    public static double Inertia(float[][] x, float[][] centroids)
    {
        double total = 0;
        object gate = new();
        Parallel.For(0, x.Length, () => 0.0, (i, _, partial) =>
        {
            double best = double.PositiveInfinity;
            foreach (float[] c in centroids)
            {
                double distance = 0;
                float[] row = x[i];
                for (int j = 0; j < row.Length; j++)
                {
                    double difference = (double)row[j] - c[j];
                    distance += difference * difference;
                }

                best = Math.Min(best, distance);
            }

            return partial + best;
        }, partial => { lock (gate) { total += partial; } });
        return total;
    }

    /// <summary>
    /// The explained variance ratio of a projection: the summed variances of the projected columns over the
    /// summed variances of the data's columns (both about their own means, so centring by the fit is not assumed).
    /// This equals scikit-learn's explained_variance_ratio_.sum() when the components are orthonormal, which
    /// <see cref="OrthonormalityError"/> checks.
    /// </summary>
    public static double ExplainedVarianceRatio(float[][] x, float[][] projected) => SummedVariance(projected) / SummedVariance(x);

    /// <summary>The largest |VᵀV − I| entry of the components <paramref name="v"/> (one per row).</summary>
    public static double OrthonormalityError(float[][] v)
    {
        double worst = 0;
        for (int a = 0; a < v.Length; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double dot = 0;
                for (int j = 0; j < v[a].Length; j++)
                {
                    dot += (double)v[a][j] * v[b][j];
                }

                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }

        return worst;
    }

    private static double SummedVariance(float[][] rows)
    {
        int width = rows[0].Length;
        var mean = new double[width];
        foreach (float[] row in rows)
        {
            for (int j = 0; j < width; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < width; j++)
        {
            mean[j] /= rows.Length;
        }

        double sum = 0;
        foreach (float[] row in rows)
        {
            for (int j = 0; j < width; j++)
            {
                double d = row[j] - mean[j];
                sum += d * d;
            }
        }

        return sum / (rows.Length - 1);
    }
}
