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
    /// Clusters the items of <paramref name="data"/>: in memory, or streamed a few MB at a time (a memory-mapped
    /// file is never loaded whole), with bitwise the centres, labels and inertia of the in-memory fit.
    /// </summary>
    /// <remarks>
    /// In memory the centred data is copied once; a streamed source is centred block by block as it is read, at
    /// every pass (k-means++ seeding, each Lloyd iteration), and keeps in memory only what grows with the
    /// number of items: labels, row norms and the bounds (about 32 bytes an item).
    /// </remarks>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has fewer samples than clusters.</exception>
    public static KMeansModel Fit(IFeatureSource data, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Fit(ClassicalInput.CheckSource(data, nameof(data)), options);
    }

    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has fewer samples than clusters.</exception>
    public static KMeansModel Fit(Tensor data, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int n, int d) = ClassicalInput.CheckMatrix(data, nameof(data));
        return Fit(SourceBlocks.Of(data.Buffer, n, d), options);
    }

    internal static KMeansModel Fit(SourceBlocks data, KMeansOptions options)
    {
        int n = data.Rows, d = data.Columns;
        ClassicalInput.CheckCount(options.Clusters, "clusters", n, "samples", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance, nameof(options));

        var clock = Stopwatch.StartNew();
        double[] mean = Moments.ColumnMeans(data);
        float[] offset = DenseMath.ToFloat(mean);
        SourceBlocks x = Centre(data, offset, out float[] norms);

        // The mean of the column variances is Σᵢ‖xᵢ − μ‖² / (n·d): the centred rows' norms give it without another pass.
        double squares = 0;
        foreach (float norm in norms)
        {
            squares += norm;
        }

        double tolerance = options.Tolerance * squares / ((double)n * d);
        var grid = new FixedPointGrid(x);
        var master = new Rng(options.Seed);
        KMeansRun? best = null;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            var run = new KMeansRun(x, norms, offset, grid, options, tolerance, master.Split());
            if (best is null || run.Inertia < best.Inertia)
            {
                best = run;
            }
        }

        return new KMeansModel(options, offset, best!.Centres, best.Labels, best.Inertia, best.Iterations, best.Converged, best.History, n, clock.Elapsed)
        {
            DistancePasses = best.DistancePasses,
            RowsReadAlone = best.RowsReadAlone,
        };
    }

    /// <summary>
    /// The rows of <paramref name="data"/> less <paramref name="offset"/>, with the squared norm of every centred row:
    /// in memory a copy (the norms taken while each row is in cache), streamed a view that centres each block as it is read.
    /// </summary>
    private static SourceBlocks Centre(SourceBlocks data, float[] offset, out float[] norms)
    {
        int n = data.Rows, d = data.Columns;
        float[] rowNorms = new float[n];
        norms = rowNorms;
        if (data.InMemory)
        {
            float[]? copy = null;
            data.ForEach(block => copy = Centre(block.Array, n, d, offset, rowNorms));
            return SourceBlocks.Of(copy!, n, d);
        }

        SourceBlocks centred = data.Shifted(offset);
        centred.ForEachRowBlock((block, b, start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                rowNorms[r] = TensorPrimitives.SumOfSquares<float>(block.Row(r));
            }
        });
        return centred;
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
