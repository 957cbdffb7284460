using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// Nearest-centre assignment by GEMM: ‖x − c‖² = ‖x‖² − 2·x·c + ‖c‖², computed as the [k, rows] block
/// −2·C·Xᵀ + 1·‖x‖²ᵀ (the row norms as the GEMM's bias row), then ‖c‖² added per centre.
/// </summary>
/// <remarks>
/// Rows are expected centred (the training mean subtracted) so that the expansion loses little to cancellation.
/// </remarks>
internal sealed class CentroidAssigner
{
    private readonly float[] _centres;
    private readonly float[] _centreNorms;

    public CentroidAssigner(float[] centres, int clusters, int features)
    {
        _centres = centres;
        Clusters = clusters;
        Features = features;
        _centreNorms = new float[clusters];
        for (int j = 0; j < clusters; j++)
        {
            _centreNorms[j] = TensorPrimitives.SumOfSquares<float>(centres.AsSpan(j * features, features));
        }
    }

    /// <summary>
    /// Rows per slice in <see cref="Assign(float[], float[], int, int, Span{int}, Span{float}, float[])"/>: a slice of 784-pixel rows and its packed copy (≈ 0.8 MB) stay in a
    /// core's L2 cache while the GEMM, the arg-min and the caller's sums read them.
    /// </summary>
    public const int SliceRows = 128;

    public int Clusters { get; }

    public int Features { get; }

    /// <summary>
    /// Squared distances of rows [start, start + count) to every centre into <paramref name="distances"/>
    /// ([k, count], clamped at 0).
    /// </summary>
    public void Distances(float[] x, float[] rowNorms, int start, int count, Span<float> distances) =>
        Distances(x.AsSpan(start * Features, count * Features), rowNorms.AsSpan(start, count), count, distances);

    /// <summary>As <see cref="Distances(float[], float[], int, int, Span{float})"/>, for <paramref name="count"/> rows stored contiguously.</summary>
    /// <remarks>
    /// Each distance is rounded the same whichever column of the GEMM its row lands in (edge tiles round as full
    /// ones), so rows gathered from anywhere get bitwise the distances they get in place.
    /// </remarks>
    public void Distances(ReadOnlySpan<float> rows, ReadOnlySpan<float> rowNorms, int count, Span<float> distances)
    {
        int k = Clusters, d = Features;
        // Callers run one block per core already, so the GEMM stays on the calling thread.
        Gemm.MultiplyOnCallingThread(
            GemmForm.ABt, k, count, d, -2f, _centres, d, rows[..(count * d)], d, 0f, distances, count,
            new GemmEpilogue(rowNorms[..count]));
        for (int j = 0; j < k; j++)
        {
            Span<float> row = distances.Slice(j * count, count);
            TensorPrimitives.Add(row, _centreNorms[j], row);
            TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>The nearest centre and its squared distance for rows [start, start + count).</summary>
    /// <remarks>Works in slices of <see cref="SliceRows"/> rows; <paramref name="scratch"/> holds at least k·min(count, SliceRows) values.</remarks>
    public void Assign(float[] x, float[] rowNorms, int start, int count, Span<int> labels, Span<float> nearest, float[] scratch) =>
        Assign(x.AsSpan(start * Features, count * Features), rowNorms.AsSpan(start, count), count, labels, nearest, scratch);

    /// <summary>As <see cref="Assign(float[], float[], int, int, Span{int}, Span{float}, float[])"/>, for <paramref name="count"/> rows stored contiguously.</summary>
    public void Assign(ReadOnlySpan<float> rows, ReadOnlySpan<float> rowNorms, int count, Span<int> labels, Span<float> nearest, float[] scratch)
    {
        int d = Features;
        for (int offset = 0; offset < count; offset += SliceRows)
        {
            int slice = Math.Min(SliceRows, count - offset);
            AssignSlice(rows.Slice(offset * d, slice * d), rowNorms.Slice(offset, slice), slice, labels.Slice(offset, slice), nearest.Slice(offset, slice), scratch);
        }
    }

    /// <summary>
    /// The nearest centre of <paramref name="count"/> contiguous rows (at most <see cref="SliceRows"/>), its squared
    /// distance, and the squared distance to the nearest other centre (+∞ when there is one centre).
    /// </summary>
    /// <remarks>The labels and nearest distances are bitwise those of <see cref="Assign(float[], float[], int, int, Span{int}, Span{float}, float[])"/> for the same rows.</remarks>
    public void AssignWithRunnerUp(
        ReadOnlySpan<float> rows, ReadOnlySpan<float> rowNorms, int count, Span<int> labels, Span<float> nearest, Span<float> runnerUp, float[] scratch)
    {
        Span<float> distances = scratch.AsSpan(0, Clusters * count);
        Distances(rows, rowNorms, count, distances);
        distances[..count].CopyTo(nearest);
        runnerUp[..count].Fill(float.PositiveInfinity);
        labels[..count].Clear();
        for (int j = 1; j < Clusters; j++)
        {
            ReadOnlySpan<float> row = distances.Slice(j * count, count);
            for (int i = 0; i < count; i++)
            {
                float v = row[i];
                if (v < nearest[i])
                {
                    runnerUp[i] = nearest[i];
                    nearest[i] = v;
                    labels[i] = j;
                }
                else if (v < runnerUp[i])
                {
                    runnerUp[i] = v;
                }
            }
        }
    }

    private void AssignSlice(ReadOnlySpan<float> rows, ReadOnlySpan<float> rowNorms, int count, Span<int> labels, Span<float> nearest, float[] scratch)
    {
        Span<float> distances = scratch.AsSpan(0, Clusters * count);
        Distances(rows, rowNorms, count, distances);
        distances[..count].CopyTo(nearest);
        labels.Clear();
        for (int j = 1; j < Clusters; j++)
        {
            ReadOnlySpan<float> row = distances.Slice(j * count, count);
            for (int i = 0; i < count; i++)
            {
                if (row[i] < nearest[i])
                {
                    nearest[i] = row[i];
                    labels[i] = j;
                }
            }
        }
    }
}
