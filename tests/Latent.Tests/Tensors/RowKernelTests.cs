using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

[Trait("Category", "Kernels")]
public class RowKernelTests
{
    [Fact]
    public void SumOfEveryLengthMatchesDoubleLoop()
    {
        var rng = new Rng(110);
        foreach (int n in Enumerable.Range(0, 257).Append(5000))
        {
            var x = new float[n];
            rng.FillUniform(x, -1f, 1f);
            double expected = x.Sum(v => (double)v);
            Assert.Equal(expected, RowReductions.Sum(x), 1e-4);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    [InlineData(2, 256)]
    [InlineData(0, 4)]
    public void RowAndColumnSumsMatchLoops(int rows, int columns)
    {
        var rng = new Rng(111);
        var m = new float[rows * columns];
        rng.FillUniform(m, -1f, 1f);
        var rowSums = new float[rows];
        RowReductions.RowSums(m, columns, rowSums);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(Enumerable.Range(0, columns).Sum(j => (double)m[(i * columns) + j]), rowSums[i], 1e-5);
        }

        var columnSums = Enumerable.Repeat(10f, columns).ToArray();
        RowReductions.ColumnSums(m, columns, columnSums, accumulate: true);
        for (int j = 0; j < columns; j++)
        {
            Assert.Equal(10 + Enumerable.Range(0, rows).Sum(i => (double)m[(i * columns) + j]), columnSums[j], 1e-5);
        }

        RowReductions.ColumnSums(m, columns, columnSums, accumulate: false);
        for (int j = 0; j < columns; j++)
        {
            Assert.Equal(Enumerable.Range(0, rows).Sum(i => (double)m[(i * columns) + j]), columnSums[j], 1e-5);
        }
    }

    [Fact]
    public void LogSumExpOfEveryLengthMatchesDouble()
    {
        var rng = new Rng(112);
        var scratch = new float[256];
        for (int n = 1; n <= 256; n++)
        {
            var x = new float[n];
            rng.FillUniform(x, -500f, 500f);
            double max = x.Max();
            double expected = max + Math.Log(x.Sum(v => Math.Exp(v - max)));
            Assert.Equal(expected, RowReductions.LogSumExp(x, scratch), Math.Abs(expected) * 1e-6);
        }

        Assert.Equal(float.NegativeInfinity, RowReductions.LogSumExp([], scratch));
    }

    [Fact]
    public void TopKMaskOfEveryLengthMatchesSorting()
    {
        var rng = new Rng(113);
        var scratch = new float[256];
        for (int n = 0; n <= 256; n++)
        {
            // Values on a coarse grid so that ties are common.
            var x = new float[n];
            for (int j = 0; j < n; j++)
            {
                x[j] = rng.NextInt(9) - 4;
            }

            foreach (int k in new[] { 0, n / 3, n / 2, n }.Distinct())
            {
                var mask = new float[n];
                TopKSelection.Mask(x, k, mask, scratch);
                var kept = Enumerable.Range(0, n).OrderByDescending(j => x[j]).ThenBy(j => j).Take(k).ToHashSet();
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(kept.Contains(j) ? 1f : 0f, mask[j]);
                }
            }
        }
    }

    [Fact]
    public void TopKMaskHandlesSortedAndConstantRows()
    {
        var scratch = new float[100];
        var mask = new float[100];
        var ascending = Enumerable.Range(0, 100).Select(j => (float)j).ToArray();
        TopKSelection.Mask(ascending, 10, mask, scratch);
        Assert.Equal(Enumerable.Range(0, 100).Select(j => j >= 90 ? 1f : 0f), mask);
        var constant = Enumerable.Repeat(2f, 100).ToArray();
        TopKSelection.Mask(constant, 10, mask, scratch);
        Assert.Equal(Enumerable.Range(0, 100).Select(j => j < 10 ? 1f : 0f), mask);
    }
}
