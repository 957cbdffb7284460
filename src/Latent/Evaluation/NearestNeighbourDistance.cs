using Latent.Classical;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// The distance of each generated item to its nearest item of a reference set (the training data): how far
/// samples lie from the data they should resemble. Decoded garbage is far from every real image; a good
/// generator's samples are about as close as held-out real images are.
/// </summary>
/// <remarks>
/// dᵢ = minⱼ ‖xᵢ − rⱼ‖ (Euclidean), computed by GEMM as ‖x − r‖² = ‖x‖² − 2·x·r + ‖r‖² on rows centred by the
/// reference mean. With <c>normalize</c> every row is first scaled to unit length, so the distance
/// √(2 − 2·cos θ) compares shapes, not brightness: faint, shapeless images are otherwise close (in plain
/// Euclidean distance) to thin digits. The measure rewards copying training items, so read it beside the
/// samples themselves.
/// </remarks>
public static class NearestNeighbourDistance
{
    /// <summary>dᵢ for every row of <paramref name="items"/> [n, d] against the rows of <paramref name="reference"/> [m, d].</summary>
    /// <param name="items">The items measured.</param>
    /// <param name="reference">The reference set.</param>
    /// <param name="normalize">Scale every row to unit length first (a zero row stays zero): the distance then lies in [0, 2].</param>
    /// <exception cref="ArgumentException">The column counts differ or the reference is empty.</exception>
    public static double[] Distances(Tensor items, Tensor reference, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(reference);
        if (items.Rank != 2 || reference.Rank != 2 || items.Columns != reference.Columns)
        {
            throw new ArgumentException($"Items [{string.Join(", ", items.Shape)}] and reference [{string.Join(", ", reference.Shape)}] must be matrices with the same number of columns.", nameof(reference));
        }

        if (reference.Rows == 0)
        {
            throw new ArgumentException("The reference set is empty.", nameof(reference));
        }

        int n = items.Rows, m = reference.Rows, d = items.Columns;
        if (normalize)
        {
            items = UnitRows(items);
            reference = UnitRows(reference);
        }

        var mean = new float[d];
        for (int j = 0; j < m; j++)
        {
            TensorPrimitives.Add(mean, reference.Row(j), mean);
        }

        TensorPrimitives.Divide(mean, m, mean);
        float[] centres = Centred(reference, mean);
        float[] x = Centred(items, mean);
        var norms = new float[n];
        for (int i = 0; i < n; i++)
        {
            norms[i] = TensorPrimitives.SumOfSquares<float>(x.AsSpan(i * d, d));
        }

        var assigner = new CentroidAssigner(centres, m, d);
        var result = new double[n];
        int slices = (n + CentroidAssigner.SliceRows - 1) / CentroidAssigner.SliceRows;
        Parallel.For(0, slices, () => new float[m * CentroidAssigner.SliceRows], (s, _, scratch) =>
        {
            int start = s * CentroidAssigner.SliceRows, count = Math.Min(CentroidAssigner.SliceRows, n - start);
            var labels = new int[count];
            var nearest = new float[count];
            assigner.Assign(x, norms, start, count, labels, nearest, scratch);
            for (int i = 0; i < count; i++)
            {
                result[start + i] = Math.Sqrt(nearest[i]);
            }

            return scratch;
        }, _ => { });
        return result;
    }

    /// <summary>The mean of <see cref="Distances"/>.</summary>
    public static double Mean(Tensor items, Tensor reference, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Rows == 0)
        {
            throw new ArgumentException("No items to measure.", nameof(items));
        }

        return Distances(items, reference, normalize).Average();
    }

    private static Tensor UnitRows(Tensor rows)
    {
        var unit = Tensor.Zeros(rows.Rows, rows.Columns);
        for (int i = 0; i < rows.Rows; i++)
        {
            float norm = TensorPrimitives.Norm(rows.Row(i));
            if (norm > 0)
            {
                TensorPrimitives.Divide(rows.Row(i), norm, unit.Row(i));
            }
        }

        return unit;
    }

    private static float[] Centred(Tensor rows, float[] mean)
    {
        int d = mean.Length;
        var centred = new float[rows.Rows * d];
        for (int i = 0; i < rows.Rows; i++)
        {
            TensorPrimitives.Subtract(rows.Row(i), mean, centred.AsSpan(i * d, d));
        }

        return centred;
    }
}
