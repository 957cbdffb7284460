using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Data;

/// <summary>The batcher over memory-mapped files, its saved state, image batches and in-order reading.</summary>
public class BatcherSourceTests
{
    [Theory]
    [InlineData("npy", 7)]
    [InlineData("idx", 13)]
    [InlineData("npy", 101)]
    public void EveryItemOfAMappedFileOncePerEpoch(string format, int batchSize)
    {
        using var folder = new TempFolder();
        const int N = 101, H = 3, W = 5;
        var values = new float[N * H * W];
        var rng = new Rng(12);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextInt(256);
        }

        string path = folder.File("items." + format);
        var array = new NumericArray([N, H, W], values);
        if (format == "idx")
        {
            Idx.Write(path, array, ElementType.UInt8, gzip: false);
        }
        else
        {
            Npy.Write(path, array, ElementType.Float32);
        }

        using var mapped = MappedSource.Open(path);
        Assert.Equal((N, H * W), (mapped.Count, mapped.Dimension));
        using var batcher = new Batcher(mapped, new BatchOptions { BatchSize = batchSize }, seed: 9);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            int batches = 0;
            foreach (var batch in batcher.NextEpoch())
            {
                Assert.Equal(batches, batch.Number);
                Assert.Equal(batches * batchSize, batch.Offset);
                batches++;
                Assert.Equal([batch.Size, H * W], batch.Features.Shape);
                for (int r = 0; r < batch.Size; r++)
                {
                    int index = batch.Indices.Span[r];
                    Assert.True(batch.Features.Row(r).SequenceEqual(values.AsSpan(index * H * W, H * W)), $"row {r} of batch {batches} is not item {index} of the file");
                    seen.Add(index);
                }
            }

            Assert.Equal((N + batchSize - 1) / batchSize, batches);
            Assert.Equal(Enumerable.Range(0, N), seen.Order());
            orders.Add([.. seen]);
        }

        if (batchSize < N)
        {
            Assert.NotEqual(orders[0], orders[1]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RestoredStateGivesTheSameFollowingBatches(bool binarize)
    {
        var data = Probabilities(57, 6);
        var options = new BatchOptions { BatchSize = 10, DynamicBinarization = binarize };
        using var original = new Batcher(data, options, seed: 4);
        Epochs(original, 2);
        ulong[] state = original.GetState();
        Assert.Equal(Batcher.StateWords, state.Length);
        var expected = Epochs(original, 3);

        using var restored = new Batcher(data, options, seed: 999);
        Assert.NotEqual(expected[0], Epochs(restored, 1)[0]);
        restored.SetState(state);
        Assert.Equal(state, restored.GetState());
        Assert.Equal(expected, Epochs(restored, 3));
    }

    [Fact]
    public void AnEpochsOrderDependsOnlyOnTheStateAtItsStart()
    {
        // The order is rebuilt from the identity each epoch, so two batchers in the same state agree whatever
        // orders they produced before.
        var data = Probabilities(40, 2);
        using var a = new Batcher(data, new BatchOptions { BatchSize = 40 }, seed: 1);
        using var b = new Batcher(data, new BatchOptions { BatchSize = 40 }, seed: 2);
        Epochs(a, 3);
        b.SetState(a.GetState());
        Assert.Equal(Epochs(a, 1), Epochs(b, 1));
    }

    [Fact]
    public void BadStatesAreRefused()
    {
        using var batcher = new Batcher(Probabilities(5, 1), new BatchOptions(), seed: 1);
        Assert.Throws<ArgumentException>(() => batcher.SetState(new ulong[3]));
        Assert.Throws<ArgumentException>(() => batcher.SetState(new ulong[8]));
    }

    [Fact]
    public void ImageBatchesShareTheRowsStorageLayout()
    {
        var features = Tensor.Zeros(9, 2 * 3 * 4);
        new Rng(3).FillUniform(features.Span);
        var images = new Dataset("images", features, imageShape: new ImageShape(2, 3, 4));
        using var flat = new Batcher(images, new BatchOptions { BatchSize = 4, Shuffle = false });
        using var shaped = new Batcher(images, new BatchOptions { BatchSize = 4, Shuffle = false, ImageBatches = true });
        var rows = new List<float[]>();
        foreach (var batch in flat.NextEpoch())
        {
            Assert.Equal(2, batch.Features.Rank);
            rows.Add(batch.Features.ToArray());
        }

        int i = 0;
        foreach (var batch in shaped.NextEpoch())
        {
            Assert.Equal([batch.Size, 2, 3, 4], batch.Features.Shape);
            Assert.Equal(24, batch.Features.Columns);
            Assert.Equal(rows[i++], batch.Features.ToArray());
        }

        Assert.Equal(3, i);
        var error = Assert.Throws<ArgumentException>(() => new Batcher(Probabilities(4, 3), new BatchOptions { ImageBatches = true }));
        Assert.Contains("image shape", error.Message);
    }

    [Fact]
    public void SequentialBatchesFollowTheSourceOrder()
    {
        var data = Probabilities(23, 3);
        using var batcher = new Batcher(data, BatchOptions.Sequential(5));
        for (int epoch = 0; epoch < 2; epoch++)
        {
            int next = 0;
            foreach (var batch in batcher.NextEpoch())
            {
                Assert.Equal(next, batch.Offset);
                Assert.Equal(Enumerable.Range(next, batch.Size), batch.Indices.ToArray());
                Assert.Equal(data.Features.Span.Slice(next * 3, batch.Size * 3).ToArray(), batch.Features.ToArray());
                next += batch.Size;
            }

            Assert.Equal(23, next);
        }
    }

    [Fact]
    public void ATensorSourceReadsRowsWithoutCopying()
    {
        var images = Tensor.Zeros(4, 1, 2, 3);
        new Rng(1).FillUniform(images.Span);
        var source = new TensorSource(images, "t");
        Assert.Equal((4, 6, new ImageShape(1, 2, 3)), (source.Count, source.Dimension, source.ImageShape!.Value));
        Assert.Same(images, source.Data);
        var row = new float[6];
        source.CopyRows([2], row);
        Assert.Equal(images.Span.Slice(12, 6).ToArray(), row);
        Assert.False(source.HasLabels);
        Assert.Throws<InvalidOperationException>(() => source.CopyLabels([0], new int[1]));
    }

    private static Dataset Probabilities(int n, int d)
    {
        var features = Tensor.Zeros(n, d);
        new Rng((ulong)n).FillUniform(features.Span);
        return new Dataset("p", features);
    }

    private static List<float[]> Epochs(Batcher batcher, int count)
    {
        var batches = new List<float[]>();
        for (int e = 0; e < count; e++)
        {
            foreach (var batch in batcher.NextEpoch())
            {
                batches.Add([.. batch.Features.ToArray(), .. batch.Indices.ToArray().Select(i => (float)i)]);
            }
        }

        return batches;
    }
}
