using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class BatcherTests
{
    private static Dataset Numbered(int n, int d = 2)
    {
        var features = Tensor.Zeros(n, d);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                features[i, j] = (i * 10) + j;
            }
        }

        return new Dataset("n", features, Enumerable.Range(0, n).Select(i => i % 7).ToArray());
    }

    [Theory]
    [InlineData(100, 32, false)]
    [InlineData(96, 32, false)]
    [InlineData(100, 32, true)]
    [InlineData(5, 8, false)]
    public void EveryItemOncePerEpochWithMatchingLabels(int n, int batchSize, bool dropLast)
    {
        var data = Numbered(n);
        using var batcher = new Batcher(data, new BatchOptions { BatchSize = batchSize, DropLast = dropLast }, seed: 3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            int batches = 0;
            foreach (var batch in batcher.NextEpoch())
            {
                batches++;
                for (int r = 0; r < batch.Size; r++)
                {
                    int index = (int)(batch.Features[r, 0] / 10);
                    Assert.Equal(batch.Indices.Span[r], index);
                    Assert.Equal((index * 10) + 1, batch.Features[r, 1]);
                    Assert.Equal(index % 7, batch.Labels.Span[r]);
                    seen.Add(index);
                }
            }

            Assert.Equal(batcher.BatchesPerEpoch, batches);
            if (dropLast)
            {
                Assert.Equal(n / batchSize * batchSize, seen.Count);
                Assert.Equal(seen.Count, seen.Distinct().Count());
            }
            else
            {
                Assert.Equal(Enumerable.Range(0, n), seen.Order());
            }
        }
    }

    [Fact]
    public void RepeatsForASeedAndReshufflesEachEpoch()
    {
        var data = Numbered(50);
        List<int[]> Orders(ulong seed)
        {
            using var batcher = new Batcher(data, new BatchOptions { BatchSize = 50 }, seed);
            return [.. Enumerable.Range(0, 3).Select(_ => First(batcher))];
        }

        var a = Orders(1);
        var b = Orders(1);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], a[1]);
        Assert.NotEqual(a[0], Orders(2)[0]);
    }

    [Fact]
    public void UnshuffledKeepsOrder()
    {
        using var batcher = new Batcher(Numbered(10), new BatchOptions { BatchSize = 10, Shuffle = false }, 0);
        Assert.Equal(Enumerable.Range(0, 10), First(batcher));
    }

    [Fact]
    public void EpochAllocatesNothingAfterWarmUp()
    {
        var data = Numbered(1000, 16);
        using var batcher = new Batcher(data, new BatchOptions { BatchSize = 64, DynamicBinarization = false }, 5);
        float sum = 0;
        foreach (var batch in batcher.NextEpoch())
        {
            sum += batch.Features[0, 0];
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (var batch in batcher.NextEpoch())
            {
                sum += batch.Features[0, 0] + batch.Labels.Span[0];
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void DynamicBinarisationResamplesEachEpoch()
    {
        var features = Tensor.Zeros(200, 20);
        features.Fill(0.5f);
        var data = new Dataset("p", features);
        using var batcher = new Batcher(data, new BatchOptions { BatchSize = 200, Shuffle = false, DynamicBinarization = true }, 8);
        float[] Epoch()
        {
            foreach (var batch in batcher.NextEpoch())
            {
                return batch.Features.ToArray();
            }

            return [];
        }

        var first = Epoch();
        var second = Epoch();
        Assert.All(first, v => Assert.True(v is 0f or 1f));
        Assert.InRange(first.Average(), 0.45, 0.55);
        Assert.NotEqual(first, second);
        using var again = new Batcher(data, new BatchOptions { BatchSize = 200, Shuffle = false, DynamicBinarization = true }, 8);
        foreach (var batch in again.NextEpoch())
        {
            Assert.Equal(first, batch.Features.ToArray());
        }
    }

    private static int[] First(Batcher batcher)
    {
        var order = new List<int>();
        foreach (var batch in batcher.NextEpoch())
        {
            order.AddRange(batch.Indices.ToArray());
        }

        return [.. order];
    }
}
