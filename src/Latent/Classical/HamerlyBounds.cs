using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// Hamerly's bounds for Lloyd's algorithm: for every sample an upper bound on its distance to its own centre and
/// a lower bound on its distance to every other, so that a sample whose bounds are far enough apart keeps its
/// centre without a single distance being computed.
/// </summary>
/// <remarks>
/// <para>
/// The bounds are on true Euclidean distances; the plain assignment compares the GEMM's rounded squared distances
/// D̃ = ‖x‖² − 2·x·c + ‖c‖², which differ from the true D by at most δ = g·(‖x‖ + max‖c‖)² (g covers the
/// dot product's and the two additions' rounding, twice over). A sample is skipped only when
/// lower² − δ &gt; upper² + δ: then every other centre's D̃ exceeds its own centre's, so the plain arg-min would pick
/// the same centre. Samples that fail the test once their upper bound is tightened to their true distance are
/// gathered and assigned by the same GEMM as the plain path, which rounds every distance the same wherever its
/// row lands; their bounds restart from the rounded distances widened by δ. So the labels are those of the plain
/// iterations, bit for bit.
/// </para>
/// <para>
/// When the centres move, every upper bound grows by its centre's displacement and every lower bound shrinks by
/// the largest displacement of another centre (triangle inequality); half the distance from a centre to the
/// nearest other one is a second lower bound (Hamerly 2010). The bounds' double rounding is far inside δ's margin.
/// </para>
/// </remarks>
internal sealed class HamerlyBounds
{
    private readonly float[] _norms;
    private readonly int _d;
    private readonly int _k;
    private readonly double[] _upper;
    private readonly double[] _lower;
    private readonly double _slack;
    private readonly double[] _displacement;
    private readonly double[] _separation;
    private double _largestNorm;
    private double _largestDisplacement;
    private double _secondDisplacement;
    private int _farthestMover;

    public HamerlyBounds(float[] norms, int n, int d, int k)
    {
        _norms = norms;
        _d = d;
        _k = k;
        _upper = new double[n];
        _lower = new double[n];
        _displacement = new double[k];
        _separation = new double[k];

        // γ_(d+2) = (d + 2)·u / (1 − (d + 2)·u) bounds the relative rounding of a d-term dot product and two more
        // additions (u = 2^−24); doubled for the float norms and for safety.
        double u = Math.ScaleB(1.0, -24);
        _slack = 2 * (d + 2) * u / (1 - ((d + 2) * u));
    }

    private long _computed;

    /// <summary>Samples whose distances to every centre <see cref="AssignUncertain"/> has computed so far (for diagnostics and tests).</summary>
    public long Computed => Interlocked.Read(ref _computed);

    /// <summary>Records the centres of the first, full assignment (whose distances <see cref="Reset"/> receives).</summary>
    public void Start(float[] centres)
    {
        _largestNorm = 0;
        for (int j = 0; j < _k; j++)
        {
            _largestNorm = Math.Max(_largestNorm, Math.Sqrt(SquaredDistance(centres.AsSpan(j * _d, _d), default)));
        }
    }

    /// <summary>Sets the bounds of rows from their rounded squared distances to the nearest and the runner-up centre.</summary>
    public void Reset(int row, float nearest, float runnerUp)
    {
        double delta = Delta(row);
        _upper[row] = Math.Sqrt(nearest + delta);
        _lower[row] = Math.Sqrt(Math.Max(runnerUp - delta, 0));
    }

    /// <summary>Records that the centres moved from <paramref name="from"/> to <paramref name="to"/> ([k, d] each).</summary>
    public void Move(float[] from, float[] to)
    {
        int d = _d, k = _k;
        Start(to);
        _largestDisplacement = 0;
        _secondDisplacement = 0;
        _farthestMover = -1;
        for (int j = 0; j < k; j++)
        {
            double p = Math.Sqrt(SquaredDistance(to.AsSpan(j * d, d), from.AsSpan(j * d, d)));
            _displacement[j] = p;
            if (p > _largestDisplacement)
            {
                (_secondDisplacement, _largestDisplacement, _farthestMover) = (_largestDisplacement, p, j);
            }
            else if (p > _secondDisplacement)
            {
                _secondDisplacement = p;
            }
        }

        for (int j = 0; j < k; j++)
        {
            double closest = double.PositiveInfinity;
            for (int other = 0; other < k; other++)
            {
                if (other != j)
                {
                    closest = Math.Min(closest, SquaredDistance(to.AsSpan(j * d, d), to.AsSpan(other * d, d)));
                }
            }

            _separation[j] = Math.Sqrt(closest);
        }
    }

    /// <summary>
    /// The first half of a Hamerly pass, which needs no data: moves the bounds of rows [start, end) with the centres
    /// given to the last <see cref="Move"/> and lists in <paramref name="uncertain"/> (in order) the rows whose label
    /// they cannot settle.
    /// </summary>
    /// <returns>How many rows are listed.</returns>
    public int Settle(int start, int end, int[] labels, Span<int> uncertain)
    {
        int count = 0;
        for (int i = start; i < end; i++)
        {
            int a = labels[i];
            double upper = _upper[i] + _displacement[a];
            double lower = _lower[i] - (a == _farthestMover ? _secondDisplacement : _largestDisplacement);
            if (!Certain(upper, lower, _separation[a], Delta(i)))
            {
                uncertain[count++] = i;
            }

            _upper[i] = upper;
            _lower[i] = lower;
        }

        return count;
    }

    /// <summary>
    /// The second half of a pass: for the rows <paramref name="uncertain"/> listed by <see cref="Settle"/>, tightens the
    /// upper bound to the true distance and, where that still does not settle the label, recomputes every distance. Row
    /// <c>uncertain[r]</c> is <c>rows.Row(uncertain[r])</c>, or with <paramref name="compact"/> the r-th row of <paramref name="rows"/>
    /// (a streamed source's uncertain rows, read alone). Every sample that changes cluster moves between the block's sums.
    /// </summary>
    /// <returns>How many labels changed.</returns>
    public int AssignUncertain(
        CentroidAssigner assigner, float[] centres, FixedPointGrid grid, RowBlock rows, bool compact, ReadOnlySpan<int> uncertain,
        int[] labels, long[] sums, int[] counts, Scratch scratch)
    {
        int d = _d, changed = 0, pending = 0;
        for (int r = 0; r < uncertain.Length; r++)
        {
            int i = uncertain[r], a = labels[i];
            Span<float> row = compact ? rows.Row(rows.Start + r) : rows.Row(i);

            // Tighten the upper bound to the true distance (its float rounding is within the slack) and retry.
            float distance = TensorPrimitives.Distance(row, centres.AsSpan(a * d, d));
            double upper = distance * (1 + _slack);
            _upper[i] = upper;
            if (!Certain(upper, _lower[i], _separation[a], Delta(i)))
            {
                row.CopyTo(scratch.Rows.AsSpan(pending * d, d));
                scratch.RowNorms[pending] = _norms[i];
                scratch.Indices[pending++] = i;
                if (pending == CentroidAssigner.SliceRows)
                {
                    changed += Recompute(assigner, grid, pending, labels, sums, counts, scratch);
                    pending = 0;
                }
            }
        }

        return changed + Recompute(assigner, grid, pending, labels, sums, counts, scratch);
    }

    private static bool Certain(double upper, double lower, double separation, double delta)
    {
        double others = Math.Max(lower, separation - upper);
        return others > upper && (others - upper) * (others + upper) > 2 * delta;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int c = 0; c < a.Length; c++)
        {
            double diff = (double)a[c] - (b.IsEmpty ? 0 : b[c]);
            s += diff * diff;
        }

        return s;
    }

    private double Delta(int row)
    {
        double reach = Math.Sqrt(_norms[row]) + _largestNorm;
        return _slack * reach * reach;
    }

    private int Recompute(
        CentroidAssigner assigner, FixedPointGrid grid, int count, int[] labels, long[] sums, int[] counts, Scratch scratch)
    {
        if (count == 0)
        {
            return 0;
        }

        Interlocked.Add(ref _computed, count);
        assigner.AssignWithRunnerUp(scratch.Rows, scratch.RowNorms, count, scratch.Labels, scratch.Nearest, scratch.RunnerUp, scratch.Distances);
        int d = _d, changed = 0;
        for (int r = 0; r < count; r++)
        {
            int i = scratch.Indices[r], old = labels[i], now = scratch.Labels[r];
            Reset(i, scratch.Nearest[r], scratch.RunnerUp[r]);
            if (now != old)
            {
                ReadOnlySpan<float> row = scratch.Rows.AsSpan(r * d, d);
                grid.Subtract(row, sums.AsSpan(old * d, d));
                grid.Add(row, sums.AsSpan(now * d, d));
                counts[old]--;
                counts[now]++;
                labels[i] = now;
                changed++;
            }
        }

        return changed;
    }

    /// <summary>One thread's buffers for the rows whose distances are recomputed, <see cref="CentroidAssigner.SliceRows"/> at a time.</summary>
    public sealed class Scratch
    {
        public Scratch(int features, int clusters)
        {
            int rows = CentroidAssigner.SliceRows;
            Rows = new float[rows * features];
            RowNorms = new float[rows];
            Indices = new int[rows];
            Labels = new int[rows];
            Nearest = new float[rows];
            RunnerUp = new float[rows];
            Distances = new float[rows * clusters];
        }

        public float[] Rows { get; }

        public float[] RowNorms { get; }

        public int[] Indices { get; }

        public int[] Labels { get; }

        public float[] Nearest { get; }

        public float[] RunnerUp { get; }

        public float[] Distances { get; }
    }
}
