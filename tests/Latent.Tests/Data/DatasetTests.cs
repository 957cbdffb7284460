using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class DatasetTests
{
    private static Dataset Sample(int n = 100, int d = 3, int classes = 4)
    {
        var rng = new Rng(1);
        var features = Tensor.Zeros(n, d);
        rng.FillNormal(features.Span, 5f, 2f);
        return new Dataset("s", features, Enumerable.Range(0, n).Select(i => i % classes).ToArray());
    }

    [Fact]
    public void ScalesToTheUnitInterval()
    {
        var data = new Dataset("x", Tensor.FromRows(new float[,] { { 2, 4 }, { 6, 10 } }));
        Assert.Equal([0f, 0.25f, 0.5f, 1f], data.ScaleToUnit().Features.ToArray());
        Assert.Equal([0.5f, 1f, 1.5f, 2.5f], data.ScaleToUnit(0, 4).Features.ToArray());
        Assert.Equal([2f, 4f, 6f, 10f], data.Features.ToArray());
    }

    [Fact]
    public void StandardisesAndReusesTheStatistics()
    {
        var data = Sample();
        var standard = data.Standardize(out var statistics);
        for (int j = 0; j < data.Dimension; j++)
        {
            var column = Enumerable.Range(0, data.Count).Select(i => (double)standard.Features[i, j]).ToArray();
            Assert.Equal(0, column.Average(), 5);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 4);
            var raw = Enumerable.Range(0, data.Count).Select(i => (double)data.Features[i, j]).ToArray();
            Assert.Equal(raw.Average(), statistics.Mean[j], 4);
        }

        var other = new Dataset("o", Tensor.FromRows(new float[,] { { 1, 2, 3 } }));
        var applied = statistics.Apply(other);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal((other.Features[0, j] - statistics.Mean[j]) / statistics.StandardDeviation[j], applied.Features[0, j], 5);
        }

        var constant = new Dataset("c", Tensor.FromRows(new float[,] { { 3 }, { 3 } })).Standardize(out var flat);
        Assert.Equal([0f, 0f], constant.Features.ToArray());
        Assert.Equal(1f, flat.StandardDeviation[0]);
    }

    [Fact]
    public void BinarisesStaticallyAndDynamically()
    {
        var data = new Dataset("b", Tensor.FromRows(new float[,] { { 0.2f, 0.5f, 0.7f } }));
        Assert.Equal([0f, 0f, 1f], data.Binarize().Features.ToArray());
        var half = new Dataset("h", Tensor.Zeros(1000, 10));
        half.Features.Fill(0.3f);
        var sample = half.SampleBinary(new Rng(3));
        Assert.All(sample.Features.ToArray(), v => Assert.True(v is 0f or 1f));
        Assert.InRange(sample.Features.ToArray().Average(), 0.28, 0.32);
        Assert.Equal(sample.Features.ToArray(), half.SampleBinary(new Rng(3)).Features.ToArray());
        Assert.Throws<InvalidOperationException>(() => Sample().SampleBinary(new Rng(1)));
    }

    [Fact]
    public void SplitsStratifiedAndSeeded()
    {
        var data = Sample(n: 1000, classes: 4);
        var (train, validation) = data.Split(0.2, seed: 9);
        Assert.Equal(800, train.Count);
        Assert.Equal(200, validation.Count);
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(50, validation.Labels!.Count(l => l == c));
        }

        // Disjoint and covering: every original row appears exactly once across the two splits.
        var rows = train.Features.ToArray().Chunk(3).Concat(validation.Features.ToArray().Chunk(3)).Select(r => string.Join(",", r)).ToList();
        var original = data.Features.ToArray().Chunk(3).Select(r => string.Join(",", r)).ToList();
        Assert.Equal(original.Order(), rows.Order());
        var again = data.Split(0.2, seed: 9);
        Assert.Equal(train.Features.ToArray(), again.Train.Features.ToArray());
        Assert.NotEqual(train.Features.ToArray(), data.Split(0.2, seed: 10).Train.Features.ToArray());
    }

    [Fact]
    public void SubsetsKeepLabelsAndShape()
    {
        var data = new Dataset("i", Tensor.FromRows(new float[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } }), [0, 1, 2], new ImageShape(1, 2, 2));
        var subset = data.Subset([2, 0]);
        Assert.Equal([9f, 10, 11, 12, 1, 2, 3, 4], subset.Features.ToArray());
        Assert.Equal([2, 0], subset.Labels!);
        Assert.Equal(new ImageShape(1, 2, 2), subset.ImageShape);
        Assert.Equal(2, data.Take(2).Count);
        Assert.Throws<ArgumentException>(() => new Dataset("bad", Tensor.Zeros(2, 3), imageShape: new ImageShape(1, 2, 2)));
    }
}
