using Latent.Data;

namespace Latent.Tests.Data;

public sealed class DatasetOptionsTests
{
    private readonly DatasetCatalog _catalog = new(CatalogEnvironment.FromMachine() with { Fetcher = null });

    [Theory]
    [InlineData("mnist-10k:k=3", "Option 'k' in 'mnist-10k:k=3' is not taken by mnist-10k; it takes n, seed.")]
    [InlineData("digits-8x8:test", "Option 'test' in 'digits-8x8:test' is not taken by digits-8x8; it takes n, seed.")]
    [InlineData("blobs:n=10,sigma=2", "Option 'sigma' in 'blobs:n=10,sigma=2' is not taken by blobs; it takes n, k, d, seed, spread.")]
    [InlineData("moons:bins=3", "it takes n, seed, noise.")]
    [InlineData("onehot8:noise=1", "it takes n, seed.")]
    public void AnUnknownKeyIsAnErrorNamingTheKeysTheDataSetTakes(string specification, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => _catalog.Load(specification));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _catalog.Open(specification));
    }

    [Fact]
    public void AnUnknownKeyOnARemoteSetFailsBeforeLookingForIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => _catalog.Load("fashion-mnist:limit=5"));
        Assert.Contains("it takes test, train, n, seed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKeyOnACsvNamesItsOptions()
    {
        using var folder = new TempFolder();
        string path = folder.File("points.csv");
        File.WriteAllText(path, "x,y,label\n1,2,0\n3,4,1\n");
        var exception = Assert.Throws<ArgumentException>(() => _catalog.Load(path + ":labels=other.npy"));
        Assert.Contains("it takes label, n, seed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, _catalog.Load(path + ":label=label").ClassCount);
    }

    [Theory]
    [InlineData("mnist-10k:n=500,n=600", "Option 'n' is given twice in 'mnist-10k:n=500,n=600'.")]
    [InlineData("blobs:seed=1,seed=1", "Option 'seed' is given twice")]
    [InlineData("mnist-10k:=5", "has no key before '='")]
    public void ADuplicateOrEmptyKeyIsAnError(string specification, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => _catalog.Load(specification));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NTakesAStratifiedDeterministicSubset()
    {
        var all = _catalog.Load("mnist-10k");
        var subset = _catalog.Load("mnist-10k:n=500");
        Assert.Equal(500, subset.Count);
        Assert.Equal(all.Dimension, subset.Dimension);
        Assert.Equal(all.ImageShape, subset.ImageShape);
        int[] counts = Counts(all), subsetCounts = Counts(subset);
        for (int c = 0; c < counts.Length; c++)
        {
            double share = 500.0 * counts[c] / all.Count;
            Assert.True(Math.Abs(subsetCounts[c] - share) <= 1, $"class {c}: {subsetCounts[c]} items for a share of {share:F2}");
        }

        Assert.Equal(subset.Features.ToArray(), _catalog.Load("mnist-10k:n=500").Features.ToArray());
        Assert.Equal(subset.Features.ToArray(), _catalog.Load("mnist-10k:n=500,seed=0").Features.ToArray());
        var other = _catalog.Load("mnist-10k:n=500,seed=7");
        Assert.Equal(subsetCounts, Counts(other));
        Assert.NotEqual(subset.Features.ToArray(), other.Features.ToArray());

        // Every item of the subset is an item of the whole set, with its label.
        var first = subset.Row(0).ToArray();
        int match = Enumerable.Range(0, all.Count).First(i => all.Row(i).SequenceEqual(first));
        Assert.Equal(all.Labels![match], subset.Labels![0]);
    }

    [Fact]
    public void NWorksOnMemoryMappedAndGeneratedSetsAndIsCheckedAgainstTheSize()
    {
        var opened = _catalog.Open("digits-8x8:n=100,seed=3");
        Assert.Equal(100, opened.Count);
        Assert.Equal(_catalog.Load("digits-8x8:n=100,seed=3").Features.ToArray(), ((Dataset)opened).Features.ToArray());
        Assert.Equal(4, _catalog.Load("onehot8:n=4").Count);
        Assert.Equal(50, _catalog.Load("moons:n=50").Count); // the generator's own n
        Assert.Equal(20, _catalog.Load("shapes:n=20").Count);
        var exception = Assert.Throws<ArgumentException>(() => _catalog.Load("digits-8x8:n=5000"));
        Assert.Contains("digits-8x8 has 1,797 items", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NOnUnlabelledDataTakesASeededRandomSubset()
    {
        using var folder = new TempFolder();
        string path = folder.File("values.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 100).Select(i => $"{i},{i * 2}"));
        var subset = _catalog.Load(path + ":n=10,seed=4");
        Assert.Equal(10, subset.Count);
        Assert.False(subset.HasLabels);
        var values = Enumerable.Range(0, 10).Select(i => subset.Row(i)[0]).ToArray();
        Assert.Equal(values.Order(), values);
        Assert.Equal(10, values.Distinct().Count());
        Assert.Equal(values, Enumerable.Range(0, 10).Select(i => _catalog.Load(path + ":n=10,seed=4").Row(i)[0]));
        Assert.NotEqual(values, Enumerable.Range(0, 10).Select(i => _catalog.Load(path + ":n=10,seed=5").Row(i)[0]));
    }

    [Fact]
    public void StratifiedSubsetKeepsEveryClassWithinOneOfItsShare()
    {
        int[] labels = [.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 13), .. Enumerable.Repeat(2, 1), .. Enumerable.Repeat(3, 29)];
        var data = new Dataset("toy", Latent.Tensors.Tensor.Zeros(labels.Length, 1), labels);
        foreach (int n in new[] { 1, 5, 17, 33, 50 })
        {
            var indices = StratifiedSubset.Indices(data, n, 11);
            Assert.Equal(n, indices.Length);
            Assert.Equal(n, indices.Distinct().Count());
            for (int c = 0; c < 4; c++)
            {
                double share = (double)n * labels.Count(l => l == c) / labels.Length;
                Assert.InRange(indices.Count(i => labels[i] == c), share - 1, share + 1);
            }
        }
    }

    private static int[] Counts(Dataset data)
    {
        var counts = new int[data.ClassCount];
        foreach (int label in data.Labels!)
        {
            counts[label]++;
        }

        return counts;
    }
}
