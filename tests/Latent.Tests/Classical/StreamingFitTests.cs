using Latent.Classical;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>
/// The classical fits (PCA, probabilistic PCA, factor analysis, k-means, Gaussian mixtures) on a source that is not in memory (a memory-mapped NPY, and a plain generated source) read
/// it block by block and give the in-memory results: bitwise where the sums keep their order, else to rounding.
/// </summary>
public sealed class StreamingFitTests : IDisposable
{
    // 520 features make a streamed block 2048 rows (its smallest), so 4500 rows take three blocks, the last partial.
    private const int N = 4500;
    private const int D = 520;

    private static readonly Tensor s_data = Clusters(N, D, 6, 11);
    private readonly TempFolder _folder = new();
    private readonly MappedSource _mapped;

    public StreamingFitTests()
    {
        string path = _folder.File("clusters.npy");
        Npy.Write(path, s_data);
        _mapped = MappedSource.Open(path);
    }

    public void Dispose()
    {
        _mapped.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void TheDataIsStreamedInSeveralBlocks()
    {
        var blocks = SourceBlocks.Of(_mapped);
        var starts = new List<(int Start, int Count)>();
        blocks.ForEach(block => starts.Add((block.Start, block.Count)));
        Assert.False(blocks.InMemory);
        Assert.Equal([(0, 2048), (2048, 2048), (4096, 404)], starts);
        Assert.True(SourceBlocks.Of(new TensorSource(s_data)).InMemory);
    }

    [Fact]
    public void FullPcaOnAMappedFileIsTheInMemoryFitBitwise()
    {
        var options = new PcaOptions { Components = 8, Solver = PcaSolver.Full };
        var memory = Pca.Fit(s_data, options);
        foreach (IFeatureSource source in new IFeatureSource[] { _mapped, new Generated(s_data) })
        {
            var streamed = Pca.Fit(source, options);
            Assert.Equal(memory.Mean, streamed.Mean);
            Assert.Equal(memory.ExplainedVariance, streamed.ExplainedVariance);
            Assert.Equal(memory.NoiseVariance, streamed.NoiseVariance);
            Assert.Equal(memory.ComponentMatrix.ToArray(), streamed.ComponentMatrix.ToArray());
        }
    }

    [Fact]
    public void RandomizedPcaOnAMappedFileMatchesTheInMemoryFitToRounding()
    {
        // 520 features and 15 directions take the passes over the data (not the covariance): Zᵀ·X is summed per block.
        var options = new PcaOptions { Components = 5, Solver = PcaSolver.Randomized, Seed = 3 };
        var memory = Pca.Fit(s_data, options);
        var streamed = Pca.Fit(_mapped, options);
        for (int i = 0; i < options.Components; i++)
        {
            Assert.Equal(memory.ExplainedVariance[i], streamed.ExplainedVariance[i], memory.ExplainedVariance[i] * 1e-5);
        }

        float[] a = memory.ComponentMatrix.ToArray(), b = streamed.ComponentMatrix.ToArray();
        Assert.All(Enumerable.Range(0, a.Length), i => Assert.Equal(a[i], b[i], 1e-4f));
    }

    [Fact]
    public void ProbabilisticPcaAndFactorAnalysisOnAMappedFileAreTheInMemoryFitsBitwise()
    {
        var ppca = new ProbabilisticPcaOptions { Components = 4 };
        var ppcaMemory = ppca.Fit(s_data);
        var ppcaStreamed = ppca.Fit(_mapped);
        Assert.Equal(ppcaMemory.Loadings.ToArray(), ppcaStreamed.Loadings.ToArray());
        Assert.Equal(ppcaMemory.NoiseVariance, ppcaStreamed.NoiseVariance);
        Assert.Equal(ppcaMemory.LogLikelihood, ppcaStreamed.LogLikelihood);

        var fa = new FactorAnalysisOptions { Components = 3, MaxIterations = 4 };
        var faMemory = fa.Fit(s_data);
        var faStreamed = fa.Fit(_mapped);
        Assert.Equal(faMemory.Loadings.ToArray(), faStreamed.Loadings.ToArray());
        Assert.Equal(faMemory.NoiseVariance, faStreamed.NoiseVariance);
        Assert.Equal(faMemory.LogLikelihood, faStreamed.LogLikelihood);
    }

    [Theory]
    [InlineData(KMeansInit.PlusPlus, false)]
    [InlineData(KMeansInit.Random, false)]
    [InlineData(KMeansInit.PlusPlus, true)]
    public void KMeansOnAMappedFileIsTheInMemoryFitBitwise(KMeansInit init, bool plain)
    {
        var options = new KMeansOptions { Clusters = 6, Init = init, Restarts = 2, Seed = 4, PlainLloyd = plain };
        var memory = KMeans.Fit(s_data, options);
        var streamed = KMeans.Fit(_mapped, options);
        AssertSameFit(memory, streamed);
    }

    [Fact]
    public void KMeansLatePassesReadOnlyTheUnsettledRowsOfAMappedFileAndStillFitBitwise()
    {
        // One Gaussian blob cut into 8 clusters: Lloyd creeps for many passes, most rows settled by their bounds.
        var rng = new Rng(21);
        var blob = Tensor.Zeros(6000, 12);
        rng.FillNormal(blob.Span, 0f, 1f);
        string path = _folder.File("blob.npy");
        Npy.Write(path, blob);
        using var mapped = MappedSource.Open(path);
        var options = new KMeansOptions { Clusters = 8, Seed = 2, MaxIterations = 300 };

        var memory = KMeans.Fit(blob, options);
        var streamed = KMeans.Fit(mapped, options);

        Assert.True(memory.Iterations > 10, $"{memory.Iterations} iterations");
        Assert.Equal(0, memory.RowsReadAlone);
        Assert.InRange(streamed.RowsReadAlone, 1, (long)memory.Iterations * 6000 / 8);
        AssertSameFit(memory, streamed);
    }

    [Fact]
    public void KMeansRelocatesAnEmptyClusterFromAStreamedSourceAsInMemory()
    {
        // Far more clusters than the 6 blobs, from random samples: some clusters empty on the way and are re-seeded.
        var options = new KMeansOptions { Clusters = 40, Init = KMeansInit.Random, Seed = 1, MaxIterations = 5 };
        var memory = KMeans.Fit(s_data, options);
        var streamed = KMeans.Fit(new Generated(s_data), options);
        Assert.Equal(memory.Labels, streamed.Labels);
        Assert.Equal(memory.Centres.ToArray(), streamed.Centres.ToArray());
    }

    [Theory]
    [InlineData(CovarianceType.Full, MixtureInit.KMeans, 3)]
    [InlineData(CovarianceType.Tied, MixtureInit.Random, 6)]
    [InlineData(CovarianceType.Tied, MixtureInit.RandomSamples, 6)]
    [InlineData(CovarianceType.Diagonal, MixtureInit.KMeans, 6)]
    [InlineData(CovarianceType.Diagonal, MixtureInit.Random, 6)]
    [InlineData(CovarianceType.Spherical, MixtureInit.RandomSamples, 6)]
    public void GaussianMixtureOnAMappedFileIsTheInMemoryFitBitwise(CovarianceType type, MixtureInit init, int components)
    {
        // The mixture reads 4096-row blocks (whole blocks of its scatter GEMMs): two of them here, the last partial.
        // Few iterations keep the full form (520 features) quick; every E-step, M-step and bound is compared.
        var options = new GaussianMixtureOptions
        {
            Components = components,
            CovarianceType = type,
            Init = init,
            Restarts = 2,
            Seed = 5,
            MaxIterations = type switch { CovarianceType.Full => 2, CovarianceType.Tied => 3, _ => 8 },
            RecordHistory = type == CovarianceType.Diagonal,
        };
        var memory = GaussianMixture.Fit(s_data, options);
        double[] scores = memory.ScoreSamples(s_data);
        foreach (IFeatureSource source in new IFeatureSource[] { _mapped, new Generated(s_data) })
        {
            var streamed = GaussianMixture.Fit(source, options);
            Assert.Equal(memory.History, streamed.History);
            Assert.Equal(memory.LowerBound, streamed.LowerBound);
            Assert.Equal(memory.Converged, streamed.Converged);
            Assert.Equal(memory.Weights, streamed.Weights);
            Assert.Equal(memory.Means.ToArray(), streamed.Means.ToArray());
            Assert.Equal(memory.Covariances, streamed.Covariances);
            Assert.Equal(memory.Steps.Select(s => s.LogLikelihood), streamed.Steps.Select(s => s.LogLikelihood));
            Assert.Equal(scores, streamed.ScoreSamples(source));
            Assert.Equal(memory.Bic(s_data), streamed.Bic(source));
            Assert.Equal(memory.Aic(s_data), streamed.Aic(source));
        }

        Assert.True(memory.Iterations > 1);
        Assert.Equal(options.RecordHistory, memory.Steps.Count > 0);
    }

    [Fact]
    public void AGaussianMixtureScoresAStreamedSourceCheckedAsItIsRead()
    {
        var model = GaussianMixture.Fit(s_data, new GaussianMixtureOptions { Components = 2, CovarianceType = CovarianceType.Spherical, MaxIterations = 2 });
        var bad = s_data.Clone();
        bad[4200, 3] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => model.ScoreSamples(new Generated(bad)));
        Assert.Contains("at row 4200, column 3", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new GaussianMixtureOptions { Components = 2 }.Fit(new Generated(bad)));
        Assert.Contains("at row 4200, column 3", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => model.Bic(new Generated(Tensor.Zeros(3, D - 1))));
        Assert.Contains($"{D - 1} features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonFiniteValueInAStreamedSourceIsNamedWithItsRow()
    {
        var bad = s_data.Clone();
        bad[3000, 7] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => new KMeansOptions { Clusters = 2 }.Fit(new Generated(bad)));
        Assert.Contains("NaN at row 3000, column 7", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new PcaOptions { Components = 2 }.Fit(new Generated(bad)));
        Assert.Contains("row 3000", error.Message, StringComparison.Ordinal);
    }

    /// <summary>n samples around k random centres (spread 3, noise 1), shifted by 5 so the mean is far from 0.</summary>
    private static void AssertSameFit(KMeansModel memory, KMeansModel streamed)
    {
        Assert.Equal(memory.Labels, streamed.Labels);
        Assert.Equal(memory.Centres.ToArray(), streamed.Centres.ToArray());
        Assert.Equal(memory.Inertia, streamed.Inertia);
        Assert.Equal(memory.Iterations, streamed.Iterations);
        Assert.Equal(memory.DistancePasses, streamed.DistancePasses);
    }

    private static Tensor Clusters(int n, int d, int k, ulong seed)
    {
        var rng = new Rng(seed);
        var centres = new float[k * d];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)(3 * rng.NextGaussian());
        }

        var x = Tensor.Zeros(n, d);
        for (int r = 0; r < n; r++)
        {
            int j = rng.NextInt(k);
            for (int c = 0; c < d; c++)
            {
                x[r, c] = 5 + centres[(j * d) + c] + (float)rng.NextGaussian();
            }
        }

        return x;
    }

    /// <summary>A source that is neither a data set nor a tensor, so the fits must read it through CopyRows.</summary>
    private sealed class Generated(Tensor data) : IFeatureSource
    {
        private readonly TensorSource _inner = new(data);

        public string Name => "generated";

        public int Count => _inner.Count;

        public int Dimension => _inner.Dimension;

        public ImageShape? ImageShape => null;

        public bool HasLabels => false;

        public void CopyRows(ReadOnlySpan<int> indices, Span<float> destination) => _inner.CopyRows(indices, destination);

        public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination) => _inner.CopyLabels(indices, destination);
    }
}
