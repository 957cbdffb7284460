using Latent.Classical;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Classical;

/// <summary>
/// The bounded Lloyd iterations (Hamerly's bounds, order-free fixed-point sums) against the plain ones that
/// compute every distance: the same centres, labels and inertia, bit for bit, with most distances skipped.
/// </summary>
[Trait("Category", "Kernels")]
public class KMeansBoundsTests
{
    [Theory]
    [InlineData(1, 0ul, 0.0)]
    [InlineData(3, 1ul, 1e-4)]
    [InlineData(10, 2ul, 0.0)]
    [InlineData(13, 3ul, 1e-4)]
    [InlineData(40, 4ul, 0.0)]
    public void BoundedMatchesPlainOnOverlappingBlobs(int k, ulong seed, double tolerance)
    {
        // 5,000 samples (three row blocks) of 12 blobs that overlap, so that labels keep changing for many iterations.
        var rng = new Rng(seed + 100);
        var centres = new double[12, 23];
        for (int j = 0; j < 12; j++)
        {
            for (int c = 0; c < 23; c++)
            {
                centres[j, c] = 2 * rng.NextGaussian();
            }
        }

        Tensor x = ClassicalTestData.Blobs(centres, 5000 / 12, 2.5, seed);
        AssertSameFit(x, new KMeansOptions { Clusters = k, Seed = seed, Tolerance = tolerance }, k == 1 ? null : 0.5);
    }

    [Theory]
    [InlineData(5, 0ul)]
    [InlineData(10, 1ul)]
    [InlineData(10, 2ul)]
    [InlineData(16, 3ul)]
    public void BoundedMatchesPlainOnDigits(int k, ulong seed)
    {
        AssertSameFit(ModelTestData.Digits, new KMeansOptions { Clusters = k, Seed = seed, Tolerance = 0 }, 0.5);
    }

    [Fact]
    public void BoundedMatchesPlainWhenClustersEmpty()
    {
        // Half the samples are one point and two are a far one: random starts put several centres on the first,
        // all but one of which lose every sample in the first iteration; two of them are moved to the two copies of
        // the far point, where one loses both to the other in the second iteration. So the relocation of empty
        // clusters runs in the first, full pass and in a bounded one.
        const int N = 400, D = 5;
        var rng = new Rng(9);
        var x = Tensor.Zeros(N, D);
        for (int i = N / 2; i < N; i++)
        {
            for (int c = 0; c < D; c++)
            {
                x[i, c] = i < (N / 2) + 2 ? 50 : (float)rng.NextGaussian();
            }
        }

        var options = new KMeansOptions { Clusters = 8, Init = KMeansInit.Random, Seed = 3, Tolerance = 0 };
        KMeansModel history = (options with { RecordHistory = true }).Fit(x);
        Assert.True(history.History[0].Labels.Distinct().Count() < 7);
        Assert.True(history.History[1].Labels.Distinct().Count() < 8);
        AssertSameFit(x, options, null);
    }

    [Fact]
    public void GatheredRowsGetTheDistancesTheyGetInPlace()
    {
        // Rows gathered out of order into a short slice get bitwise the labels and distances of the in-place
        // assignment, and the runner-up is the naive second-smallest distance.
        const int N = 300, D = 37, K = 13;
        var rng = new Rng(4);
        var x = new float[N * D];
        var centres = new float[K * D];
        rng.FillNormal(x);
        rng.FillNormal(centres);
        float[] centred = KMeans.Centre(x, N, D, new float[D], out float[] norms);
        var assigner = new CentroidAssigner(centres, K, D);
        var labels = new int[N];
        var nearest = new float[N];
        var scratch = new float[K * CentroidAssigner.SliceRows];
        assigner.Assign(centred, norms, 0, N, labels, nearest, scratch);

        int[] picked = Enumerable.Range(0, 37).Select(r => (r * 97) % N).ToArray();
        var rows = new float[picked.Length * D];
        var rowNorms = new float[picked.Length];
        for (int r = 0; r < picked.Length; r++)
        {
            centred.AsSpan(picked[r] * D, D).CopyTo(rows.AsSpan(r * D, D));
            rowNorms[r] = norms[picked[r]];
        }

        var gatheredLabels = new int[picked.Length];
        var gatheredNearest = new float[picked.Length];
        var runnerUp = new float[picked.Length];
        assigner.AssignWithRunnerUp(rows, rowNorms, picked.Length, gatheredLabels, gatheredNearest, runnerUp, scratch);
        var all = new float[K * picked.Length];
        assigner.Distances(rows, rowNorms, picked.Length, all);
        for (int r = 0; r < picked.Length; r++)
        {
            Assert.Equal(labels[picked[r]], gatheredLabels[r]);
            Assert.Equal(BitConverter.SingleToInt32Bits(nearest[picked[r]]), BitConverter.SingleToInt32Bits(gatheredNearest[r]));
            float[] column = Enumerable.Range(0, K).Select(j => all[(j * picked.Length) + r]).ToArray();
            Assert.Equal(column.Where((_, j) => j != gatheredLabels[r]).Min(), runnerUp[r]);
        }
    }

    [Fact]
    public void GridSumsDoNotDependOnOrder()
    {
        // Columns of very different scales; the sum built in order equals the one built backwards and the one
        // reached by removing and re-adding samples, bit for bit, and the mean is close to the exact mean.
        const int N = 1000, D = 21;
        var rng = new Rng(8);
        var x = new float[N * D];
        for (int i = 0; i < N; i++)
        {
            for (int c = 0; c < D; c++)
            {
                x[(i * D) + c] = (float)(rng.NextGaussian() * Math.Pow(10, (c % 7) - 3));
            }
        }

        var grid = new FixedPointGrid(x, N, D);
        var forward = new long[D];
        var backward = new long[D];
        var churned = new long[D];
        for (int i = 0; i < N; i++)
        {
            grid.Add(x.AsSpan(i * D, D), forward);
            grid.Add(x.AsSpan((N - 1 - i) * D, D), backward);
            grid.Add(x.AsSpan(i * D, D), churned);
            if (i % 3 == 2)
            {
                grid.Subtract(x.AsSpan((i - 1) * D, D), churned);
            }
        }

        for (int i = 1; i < N; i += 3)
        {
            if (i + 1 < N)
            {
                grid.Add(x.AsSpan(i * D, D), churned);
            }
        }

        Assert.Equal(forward, backward);
        Assert.Equal(forward, churned);
        var mean = new float[D];
        grid.Mean(forward, N, mean);
        for (int c = 0; c < D; c++)
        {
            double exact = 0;
            for (int i = 0; i < N; i++)
            {
                exact += x[(i * D) + c];
            }

            exact /= N;
            Assert.Equal(exact, mean[c], Math.Pow(10, (c % 7) - 3) * 1e-6);
        }
    }

    private static void AssertSameFit(Tensor x, KMeansOptions options, double? largestShare)
    {
        KMeansModel plain = (options with { PlainLloyd = true }).Fit(x);
        KMeansModel bounded = options.Fit(x);
        Assert.Equal(plain.Iterations, bounded.Iterations);
        Assert.Equal(plain.Converged, bounded.Converged);
        Assert.Equal(plain.Labels, bounded.Labels);
        Assert.Equal(BitConverter.DoubleToInt64Bits(plain.Inertia), BitConverter.DoubleToInt64Bits(bounded.Inertia));
        using Tensor a = plain.Centres;
        using Tensor b = bounded.Centres;
        Assert.True(a.Span.SequenceEqual(b.Span), "The centres differ.");

        if (largestShare is not { } share)
        {
            return;
        }

        // The bounds must have skipped most distances once past the first iterations (else this test proves nothing).
        Assert.True(plain.Iterations >= 8, $"only {plain.Iterations} iterations");
        Assert.InRange(plain.DistancePasses, plain.Iterations, plain.Iterations + 1);
        Assert.True(bounded.DistancePasses <= 1 + (share * plain.DistancePasses), $"{bounded.DistancePasses} of {plain.DistancePasses} passes");
    }
}
