using System.Diagnostics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>k-means clustering by Lloyd's algorithm: fits a <see cref="KMeansModel"/> to data.</summary>
/// <remarks>
/// Minimises the inertia Σᵢ‖xᵢ − c_{label(i)}‖² by alternating assignment to the nearest centre (distances by
/// GEMM) and moving every centre to the mean of its samples. After the first, full assignment, Hamerly's bounds
/// skip every sample whose centre cannot have changed, and cluster sums held on a fixed-point grid are updated
/// with the samples that moved only: the iterations are exact, with the centres, labels and inertia of the plain
/// ones bit for bit, at a fraction of the distances. A cluster left empty is re-seeded with the sample farthest
/// from its centre. Work runs on fixed blocks of rows, so a seed gives the same result on any number of cores.
/// </remarks>
public static class KMeans
{
    /// <summary>
    /// Clusters the items of <paramref name="data"/> (in memory or memory-mapped), read in order through the <see cref="Batcher"/>; a
    /// memory-mapped source is gathered into memory first (streaming fits are a later issue).
    /// </summary>
    public static KMeansModel Fit(IFeatureSource data, KMeansOptions options) => Fit(SourceMatrix.Gather(data, nameof(data)), options);

    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has fewer samples than clusters.</exception>
    public static KMeansModel Fit(Tensor data, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        ClassicalInput.CheckCount(options.Clusters, "clusters", n, "samples", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));

        var clock = Stopwatch.StartNew();
        float[] raw = data.Buffer;
        double[] mean = Moments.ColumnMeans(raw, n, d);
        float[] offset = DenseMath.ToFloat(mean);
        float[] x = Centre(raw, n, d, offset, out float[] norms);

        // The mean of the column variances is Σᵢ‖xᵢ − μ‖² / (n·d): the centred rows' norms give it without another pass.
        double squares = 0;
        foreach (float norm in norms)
        {
            squares += norm;
        }

        double tolerance = options.Tolerance * squares / ((double)n * d);
        var grid = new FixedPointGrid(x, n, d);
        var master = new Rng(options.Seed);
        KMeansRun? best = null;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            var run = new KMeansRun(x, norms, n, d, offset, grid, options, tolerance, master.Split());
            if (best is null || run.Inertia < best.Inertia)
            {
                best = run;
            }
        }

        return new KMeansModel(options, offset, best!.Centres, best.Labels, best.Inertia, best.Iterations, best.Converged, best.History, n, clock.Elapsed)
        {
            DistancePasses = best.DistancePasses,
        };
    }

    /// <summary>A copy of the rows of <paramref name="raw"/> with <paramref name="offset"/> subtracted.</summary>
    internal static float[] Centre(float[] raw, int n, int d, float[] offset) => Centre(raw, n, d, offset, null);

    /// <summary>
    /// A copy of the rows of <paramref name="raw"/> with <paramref name="offset"/> subtracted, and the squared norm of
    /// every centred row, taken while the row is still in cache (one pass over the data instead of two).
    /// </summary>
    internal static float[] Centre(float[] raw, int n, int d, float[] offset, out float[] norms)
    {
        norms = new float[n];
        return Centre(raw, n, d, offset, norms);
    }

    private static float[] Centre(float[] raw, int n, int d, float[] offset, float[]? norms)
    {
        var x = new float[n * d];
        RowBlocks.ForEachRange(n, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                Span<float> row = x.AsSpan(r * d, d);
                TensorPrimitives.Subtract(raw.AsSpan(r * d, d), offset, row);
                if (norms is not null)
                {
                    norms[r] = TensorPrimitives.SumOfSquares<float>(row);
                }
            }
        });
        return x;
    }
}
