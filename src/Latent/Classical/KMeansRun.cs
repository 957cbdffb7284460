using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>One k-means run (initialisation then Lloyd iterations) on centred data, in memory or streamed block by block.</summary>
/// <remarks>
/// Every pass works on the fixed row blocks of <see cref="SourceBlocks.ForEachRowBlock(Action{RowBlock, int, int, int})"/>
/// and reduces their results in block order, so a streamed source gives bitwise the in-memory result; single rows
/// (seeds, relocated centres) are read by index.
/// </remarks>
internal sealed class KMeansRun
{
    private readonly SourceBlocks _x;
    private readonly float[] _norms;
    private readonly int _n;
    private readonly int _d;
    private readonly int _k;
    private readonly float[] _offset;
    private readonly FixedPointGrid _grid;

    /// <summary>Each row block's rows that a Hamerly pass's bounds could not settle, listed in place (allocated at the first such pass).</summary>
    private int[]? _unsettled;

    public KMeansRun(SourceBlocks x, float[] norms, float[] offset, FixedPointGrid grid, KMeansOptions options, double tolerance, Rng rng)
    {
        _x = x;
        _grid = grid;
        _offset = offset;
        _norms = norms;
        _n = x.Rows;
        _d = x.Columns;
        _k = options.Clusters;
        Labels = new int[_n];
        Centres = options.Init == KMeansInit.PlusPlus ? PlusPlus(rng) : RandomSamples(rng);
        Lloyd(options, tolerance);
    }

    /// <summary>The final centres (in centred coordinates), [k, d].</summary>
    public float[] Centres { get; private set; }

    public int[] Labels { get; }

    public double Inertia { get; private set; }

    public int Iterations { get; private set; }

    public bool Converged { get; private set; }

    public List<KMeansIteration>? History { get; private set; }

    /// <summary>The distance work done, in full passes over the data (each the distances of every sample to every centre).</summary>
    public double DistancePasses { get; private set; }

    /// <summary>Rows read alone from a streamed source by the Hamerly passes that left few rows unsettled.</summary>
    public long RowsReadAlone { get; private set; }

    /// <summary>Candidates tried for each new k-means++ centre: 2 + ⌊ln k⌋ (as scikit-learn).</summary>
    /// <summary>A streamed source's pass reads the unsettled rows alone when they are fewer than 1 in this many.</summary>
    private const int SparseReadShare = 8;

    private static int LocalTrials(int k) => 2 + (int)Math.Log(k);

    private void Lloyd(KMeansOptions options, double tolerance)
    {
        int n = _n, d = _d, k = _k, blocks = RowBlocks.Count(n);
        var sums = new long[blocks][];
        var counts = new int[blocks][];
        for (int b = 0; b < blocks; b++)
        {
            sums[b] = new long[k * d];
            counts[b] = new int[k];
        }

        var nearest = new float[n];
        Labels.AsSpan().Fill(-1);
        History = options.RecordHistory ? [] : null;

        // The history records every sample's distance, which the bounds exist not to compute: it takes the plain path.
        HamerlyBounds? bounds = options.RecordHistory || options.PlainLloyd ? null : new HamerlyBounds(_norms, n, d, k);
        bool strict = false;
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            Iterations = iteration;
            var assigner = new CentroidAssigner(Centres, k, d);
            int changed;
            if (bounds is null || iteration == 1)
            {
                bounds?.Start(Centres);
                changed = AssignAll(assigner, sums, counts, nearest, bounds, accumulate: true);
            }
            else
            {
                changed = AssignBounded(assigner, bounds, sums, counts);
            }

            if (History is not null)
            {
                var uncentred = new float[k * d];
                for (int j = 0; j < k; j++)
                {
                    TensorPrimitives.Add(Centres.AsSpan(j * d, d), _offset, uncentred.AsSpan(j * d, d));
                }

                History.Add(new KMeansIteration(iteration, uncentred, k, (int[])Labels.Clone(), SumInOrder(nearest)));
            }

            var total = new long[k * d];
            var sizes = new long[k];
            for (int b = 0; b < blocks; b++)
            {
                TensorPrimitives.Add(total, sums[b], total);
                for (int j = 0; j < k; j++)
                {
                    sizes[j] += counts[b][j];
                }
            }

            if (Array.IndexOf(sizes, 0L) >= 0)
            {
                if (bounds is not null && iteration > 1)
                {
                    // The bounded pass left most distances uncomputed; the relocation needs them all.
                    AssignAll(assigner, sums, counts, nearest, bounds, accumulate: false);
                }

                RelocateEmpty(total, sizes, nearest);
            }

            var moved = new float[k * d];
            double shift = 0;
            for (int j = 0; j < k; j++)
            {
                Span<float> centre = moved.AsSpan(j * d, d);
                _grid.Mean(total.AsSpan(j * d, d), sizes[j], centre);
                for (int c = 0; c < d; c++)
                {
                    double delta = centre[c] - Centres[(j * d) + c];
                    shift += delta * delta;
                }
            }

            bounds?.Move(Centres, moved);
            Centres = moved;
            if (changed == 0)
            {
                strict = true;
                break;
            }

            if (shift <= tolerance)
            {
                break;
            }
        }

        Converged = strict || Iterations < options.MaxIterations;
        if (!strict)
        {
            // The centres moved after the last assignment: assign once more so labels and centres agree.
            var assigner = new CentroidAssigner(Centres, k, d);
            if (bounds is null)
            {
                AssignAll(assigner, sums, counts, nearest, null, accumulate: false);
            }
            else
            {
                AssignBounded(assigner, bounds, sums, counts);
            }
        }

        Inertia = ExactInertia();
        DistancePasses = bounds is null ? Iterations + (strict ? 0 : 1) : 1 + ((double)bounds.Computed / n);
    }

    /// <summary>
    /// Assigns every sample by GEMM, counting the labels that change; with <paramref name="accumulate"/>, rebuilds
    /// the blocks' sums and counts; with <paramref name="bounds"/>, restarts every sample's bounds.
    /// </summary>
    private int AssignAll(CentroidAssigner assigner, long[][] sums, int[][] counts, float[] nearest, HamerlyBounds? bounds, bool accumulate)
    {
        int d = _d, k = _k;
        var changed = new int[sums.Length];
        _x.ForEachRowBlock(() => new float[k * CentroidAssigner.SliceRows], (block, b, start, end, scratch) =>
        {
            long[] s = sums[b];
            int[] c = counts[b];
            if (accumulate)
            {
                Array.Clear(s);
                Array.Clear(c);
            }

            Span<int> labels = stackalloc int[CentroidAssigner.SliceRows];
            Span<float> runnerUp = stackalloc float[CentroidAssigner.SliceRows];

            // Assign and accumulate a cache-sized slice at a time, so the sums read rows the GEMM just brought
            // into cache instead of reading the block from memory a second time.
            for (int from = start; from < end; from += CentroidAssigner.SliceRows)
            {
                int count = Math.Min(CentroidAssigner.SliceRows, end - from);
                Span<float> near = nearest.AsSpan(from, count);
                if (bounds is null)
                {
                    assigner.Assign(block.Rows(from, count), _norms.AsSpan(from, count), count, labels[..count], near, scratch);
                }
                else
                {
                    assigner.AssignWithRunnerUp(block.Rows(from, count), _norms.AsSpan(from, count), count, labels, near, runnerUp, scratch);
                }

                for (int r = 0; r < count; r++)
                {
                    int i = from + r, j = labels[r];
                    if (j != Labels[i])
                    {
                        changed[b]++;
                        Labels[i] = j;
                    }

                    bounds?.Reset(i, near[r], runnerUp[r]);
                    if (accumulate)
                    {
                        _grid.Add(block.Row(i), s.AsSpan(j * d, d));
                        c[j]++;
                    }
                }
            }
        });
        return changed.Sum();
    }

    /// <summary>
    /// A Hamerly pass: the bounds settle most labels without the data; only the rows they cannot settle are read and
    /// their distances computed. In memory, or when many rows are unsettled (the first passes), the data are read
    /// block by block as in every other pass; a streamed source's late passes read the unsettled rows alone, so that
    /// they cost what the bounds leave to do instead of a pass over the whole file. Either way each row is
    /// assigned by the same arithmetic, so the result is the same.
    /// </summary>
    private int AssignBounded(CentroidAssigner assigner, HamerlyBounds bounds, long[][] sums, int[][] counts)
    {
        int blocks = sums.Length;
        _unsettled ??= new int[_n];
        var unsettled = new int[blocks];
        RowBlocks.ForEach(_n, (b, start, end) => unsettled[b] = bounds.Settle(start, end, Labels, _unsettled.AsSpan(start, end - start)));
        var changed = new int[blocks];
        float[] centres = Centres;
        if (_x.InMemory || unsettled.Sum() > _n / SparseReadShare)
        {
            _x.ForEachRowBlock(
                () => new HamerlyBounds.Scratch(_d, _k),
                (block, b, start, end, scratch) => changed[b] = bounds.AssignUncertain(
                    assigner, centres, _grid, block, compact: false, _unsettled.AsSpan(start, unsettled[b]), Labels, sums[b], counts[b], scratch));
            return changed.Sum();
        }

        // A source is read by one thread at a time (an IFeatureSource need not be safe for more).
        var rows = new float[RowBlocks.Size * _d];
        var state = new HamerlyBounds.Scratch(_d, _k);
        for (int b = 0; b < blocks; b++)
        {
            if (unsettled[b] > 0)
            {
                ReadOnlySpan<int> indices = _unsettled.AsSpan(b * RowBlocks.Size, unsettled[b]);
                _x.CopyRows(indices, rows.AsSpan(0, indices.Length * _d));
                RowsReadAlone += indices.Length;
                var read = new RowBlock(0, indices.Length, _d, rows, 0);
                changed[b] = bounds.AssignUncertain(assigner, centres, _grid, read, compact: true, indices, Labels, sums[b], counts[b], state);
            }
        }

        return changed.Sum();
    }

    /// <summary>Gives every empty cluster the sample farthest from its centre, taking it out of its old cluster.</summary>
    private void RelocateEmpty(long[] total, long[] sizes, float[] nearest)
    {
        int[] empty = Enumerable.Range(0, _k).Where(j => sizes[j] == 0).ToArray();
        int[] farthest = Enumerable.Range(0, _n).OrderByDescending(i => nearest[i]).ThenBy(i => i).Take(empty.Length).ToArray();
        var point = new long[_d];
        var row = new float[_d];
        for (int e = 0; e < empty.Length; e++)
        {
            int i = farthest[e], old = Labels[i], target = empty[e];
            Array.Clear(point);
            _x.CopyRow(i, row);
            _grid.Add(row, point);
            Span<long> oldSum = total.AsSpan(old * _d, _d);
            TensorPrimitives.Subtract(oldSum, point, oldSum);
            sizes[old]--;
            point.CopyTo(total.AsSpan(target * _d, _d));
            sizes[target] = 1;
        }
    }

    private double ExactInertia()
    {
        var partial = new double[RowBlocks.Count(_n)];
        _x.ForEachRowBlock((block, b, start, end) =>
        {
            double s = 0;
            for (int i = start; i < end; i++)
            {
                float distance = TensorPrimitives.Distance(block.Row(i), Centres.AsSpan(Labels[i] * _d, _d));
                s += (double)distance * distance;
            }

            partial[b] = s;
        });
        return partial.Sum();
    }

    /// <summary>Greedy k-means++ seeding.</summary>
    private float[] PlusPlus(Rng rng)
    {
        int n = _n, d = _d, k = _k, trials = LocalTrials(k), blocks = RowBlocks.Count(n);
        var centres = new float[k * d];
        int first = rng.NextInt(n);
        _x.CopyRow(first, centres);
        var closest = new float[n];
        var firstAssigner = new CentroidAssigner(centres[..d], 1, d);
        _x.ForEachRowBlock((block, b, start, end) => firstAssigner.Distances(block.Rows(start, end - start), _norms.AsSpan(start, end - start), end - start, closest.AsSpan(start, end - start)));

        // Each block's distances to the candidates stay until the best candidate is known.
        var trialDistances = new float[blocks][];
        for (int b = 0; b < blocks; b++)
        {
            trialDistances[b] = new float[trials * Math.Min(RowBlocks.Size, n - (b * RowBlocks.Size))];
        }

        var cumulative = new double[n];
        var candidates = new float[trials * d];
        var potentials = new double[blocks * trials];
        for (int c = 1; c < k; c++)
        {
            double running = 0;
            for (int i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }

            for (int t = 0; t < trials; t++)
            {
                double target = rng.NextDouble() * running;
                int index = Array.BinarySearch(cumulative, target);
                index = index >= 0 ? index : ~index;
                _x.CopyRow(Math.Min(index, n - 1), candidates.AsSpan(t * d, d));
            }

            var assigner = new CentroidAssigner(candidates, trials, d);
            _x.ForEachRowBlock((block, b, start, end) =>
            {
                int count = end - start;
                Span<float> distances = trialDistances[b].AsSpan(0, trials * count);
                assigner.Distances(block.Rows(start, count), _norms.AsSpan(start, count), count, distances);
                for (int t = 0; t < trials; t++)
                {
                    Span<float> row = distances.Slice(t * count, count);
                    TensorPrimitives.Min(row, closest.AsSpan(start, count), row);
                    double s = 0;
                    foreach (float v in row)
                    {
                        s += v;
                    }

                    potentials[(b * trials) + t] = s;
                }
            });

            int best = 0;
            double bestPotential = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                double p = 0;
                for (int b = 0; b < blocks; b++)
                {
                    p += potentials[(b * trials) + t];
                }

                if (p < bestPotential)
                {
                    (best, bestPotential) = (t, p);
                }
            }

            candidates.AsSpan(best * d, d).CopyTo(centres.AsSpan(c * d, d));
            RowBlocks.ForEach(n, (b, start, end) =>
            {
                int count = end - start;
                trialDistances[b].AsSpan(best * count, count).CopyTo(closest.AsSpan(start, count));
            });
        }

        return centres;
    }

    private float[] RandomSamples(Rng rng)
    {
        var indices = new int[_n];
        for (int i = 0; i < _n; i++)
        {
            indices[i] = i;
        }

        var centres = new float[_k * _d];
        for (int j = 0; j < _k; j++)
        {
            int pick = j + rng.NextInt(_n - j);
            (indices[j], indices[pick]) = (indices[pick], indices[j]);
            _x.CopyRow(indices[j], centres.AsSpan(j * _d, _d));
        }

        return centres;
    }

    private static double SumInOrder(float[] values)
    {
        double total = 0;
        foreach (float v in values)
        {
            total += v;
        }

        return total;
    }
}
