using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void SameSeedGivesSameStream()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void SplitStreamsDifferAndRepeat()
    {
        var parent1 = new Rng(7);
        var child1 = parent1.Split();
        var parent2 = new Rng(7);
        var child2 = parent2.Split();
        Assert.Equal(child1.NextUInt64(), child2.NextUInt64());
        Assert.Equal(parent1.NextUInt64(), parent2.NextUInt64());
        Assert.NotEqual(new Rng(7).Split().NextUInt64(), parent1.NextUInt64());
    }

    [Fact]
    public void StateRoundTrips()
    {
        var rng = new Rng(3);
        rng.NextUInt64();
        var state = rng.GetState();
        ulong expected = rng.NextUInt64();
        var other = new Rng(99);
        other.SetState(state);
        Assert.Equal(expected, other.NextUInt64());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_001)]
    public void NormalSamplesHaveUnitMomentsAndExactLength(int length)
    {
        var rng = new Rng(11);
        var values = new float[length + 1];
        values[length] = float.NaN;
        rng.FillNormal(values.AsSpan(0, length), 2f, 3f);
        Assert.True(float.IsNaN(values[length]), "FillNormal wrote past the span.");
        Assert.All(values.AsSpan(0, length).ToArray(), v => Assert.True(float.IsFinite(v)));
        if (length > 100_000)
        {
            double mean = values.Take(length).Average(v => (double)v);
            double variance = values.Take(length).Average(v => (v - mean) * (v - mean));
            Assert.InRange(mean, 2 - 0.03, 2 + 0.03);
            Assert.InRange(variance, 9 * 0.98, 9 * 1.02);
        }
    }

    [Fact]
    public void NextIntIsUniformAndInRange()
    {
        var rng = new Rng(5);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            counts[rng.NextInt(10)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void PermutationHoldsEveryIndexOnce()
    {
        var permutation = new Rng(1).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), permutation.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), permutation);
    }

    [Fact]
    public void BernoulliMatchesProbability()
    {
        var values = new float[100_000];
        new Rng(2).FillBernoulli(values, 0.3f);
        Assert.All(values, v => Assert.True(v is 0f or 1f));
        Assert.InRange(values.Average(), 0.29, 0.31);
    }
}
