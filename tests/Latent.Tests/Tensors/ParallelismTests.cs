using System.Collections.Concurrent;
using Latent.Tensors;

namespace Latent.Tests.Tensors;

/// <summary>The scoped thread limit and the deterministic parallel-for that honours it.</summary>
public class ParallelismTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheDefaultIsTheCoreCountAndScopesNestAndRestore()
    {
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxThreads);
        using (Parallelism.Limit(1))
        {
            Assert.Equal(1, Parallelism.MaxThreads);

            // An inner scope can lower the limit, never raise it.
            using (Parallelism.Limit(1000))
            {
                Assert.Equal(1, Parallelism.MaxThreads);
            }

            Assert.Equal(1, Parallelism.MaxThreads);
        }

        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxThreads);
        using (Parallelism.Limit(1000))
        {
            Assert.Equal(Environment.ProcessorCount, Parallelism.MaxThreads);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Limit(0));
    }

    [Fact]
    public async Task ALimitFlowsIntoTasksStartedInItsScopeButNotOutOfIt()
    {
        int inside, outside;
        using (Parallelism.Limit(1))
        {
            inside = await Task.Run(() => Parallelism.MaxThreads);
        }

        outside = await Task.Run(() => Parallelism.MaxThreads);
        Assert.Equal(1, inside);
        Assert.Equal(Environment.ProcessorCount, outside);
    }

    [Fact]
    public async Task ConcurrentScopesEachSeeTheirOwnLimitAndTheSameResults()
    {
        // Two tasks at once, one limited to 1 thread and one to 2, each doing GEMMs and row loops over and over:
        // neither may see the other's limit, and every result must be bitwise the same.
        const int m = 128, n = 400, k = 784, Rounds = 20;
        var rng = new Rng(3);
        float[] a = new float[m * k], b = new float[n * k];
        rng.FillNormal(a, 0f, 1f);
        rng.FillNormal(b, 0f, 1f);
        using var start = new Barrier(2);

        (float[] Product, double Sum, List<int> Seen) Work(int limit)
        {
            using (Parallelism.Limit(limit))
            {
                var seen = new List<int>();
                float[] product = new float[m * n], first = [];
                double firstSum = 0;
                Assert.True(start.SignalAndWait(s_timeout));
                for (int round = 0; round < Rounds; round++)
                {
                    seen.Add(Parallelism.MaxThreads);
                    Gemm.Multiply(GemmForm.ABt, m, n, k, 1f, a, k, b, k, 0f, product, n);
                    double sum = BlockSum(product, 1000);
                    if (round == 0)
                    {
                        first = (float[])product.Clone();
                        firstSum = sum;
                    }
                    else
                    {
                        Assert.Equal(first, product);
                        Assert.Equal(firstSum, sum);
                    }

                    seen.Add(Parallelism.MaxThreads);
                }

                return (first, firstSum, seen);
            }
        }

        var one = Task.Factory.StartNew(() => Work(1), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var two = Task.Factory.StartNew(() => Work(2), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var results = await Task.WhenAll(one, two).WaitAsync(s_timeout);
        (var single, var dual) = (results[0], results[1]);
        Assert.All(single.Seen, limit => Assert.Equal(1, limit));
        Assert.All(dual.Seen, limit => Assert.Equal(Math.Min(2, Environment.ProcessorCount), limit));
        for (int i = 0; i < single.Product.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(single.Product[i]), BitConverter.SingleToInt32Bits(dual.Product[i]));
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(single.Sum), BitConverter.DoubleToInt64Bits(dual.Sum));
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxThreads);
    }

    [Fact]
    public void UnderALimitOfOneEveryLoopRunsOnTheCallingThread()
    {
        using (Parallelism.Limit(1))
        {
            var threads = new ConcurrentDictionary<int, bool>();
            void Note() => threads[Environment.CurrentManagedThreadId] = true;
            RowBlocks.ForEach(100_000, (_, _, _) => Note(), size: 1000);
            RowBlocks.ForEach(100_000, () => new float[4], (_, _, _, _) => Note(), size: 1000);
            RowBlocks.ForEachRange(100_000, (_, _) => Note());
            RowBlocks.ForEachRange(100_000, 1, (_, _) => Note());
            Assert.Equal([Environment.CurrentManagedThreadId], threads.Keys);
        }
    }

    [Fact]
    public void LoopsUseNoMoreThreadsThanTheLimitAndRunInTheCallersContext()
    {
        // The limit bounds how many threads run a loop's bodies at once; which threads they are may change from
        // loop to loop (the persistent helpers, or pool threads when another caller holds the helpers).
        var marker = new AsyncLocal<string>();
        using (Parallelism.Limit(2))
        {
            marker.Value = "caller";
            int active = 0, most = 0;
            var limits = new ConcurrentBag<int>();
            var markers = new ConcurrentBag<string?>();
            for (int repeat = 0; repeat < 20; repeat++)
            {
                RowBlocks.ForEach(64_000, (_, _, _) =>
                {
                    int now = Interlocked.Increment(ref active);
                    int seen;
                    while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
                    {
                    }

                    limits.Add(Parallelism.MaxThreads);
                    markers.Add(marker.Value);
                    Thread.SpinWait(2000);
                    Interlocked.Decrement(ref active);
                }, size: 1000);
            }

            Assert.InRange(most, 1, Math.Min(2, Environment.ProcessorCount));
            Assert.All(limits, limit => Assert.Equal(Math.Min(2, Environment.ProcessorCount), limit));
            Assert.All(markers, value => Assert.Equal("caller", value));
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(511, 256)]
    [InlineData(512, 256)]
    [InlineData(100_003, 7)]
    [InlineData(100_000, 100_000)]
    public void ForEachRangeCoversEveryRowOnceAndStaysOnTheCallerBelowTheGrain(int rows, int grain)
    {
        var hits = new int[rows];
        var ranges = new ConcurrentBag<(int Start, int End, int Thread)>();
        RowBlocks.ForEachRange(rows, grain, (start, end) =>
        {
            ranges.Add((start, end, Environment.CurrentManagedThreadId));
            for (int r = start; r < end; r++)
            {
                Interlocked.Increment(ref hits[r]);
            }
        });
        Assert.All(hits, h => Assert.Equal(1, h));
        Assert.InRange(ranges.Count, 1, Math.Max(1, Math.Min(Environment.ProcessorCount, rows / grain)));
        Assert.All(ranges, r => Assert.True(r.End - r.Start >= Math.Min(grain, rows), $"range [{r.Start}, {r.End}) is below the grain {grain}"));
        if (rows < 2 * grain)
        {
            Assert.Equal([(0, rows, Environment.CurrentManagedThreadId)], ranges);
        }
    }

    [Fact]
    public void BlockReductionsAreBitwiseTheSameForAnyLimitAndNestedLoopsWork()
    {
        var rng = new Rng(4);
        float[] values = new float[300_001];
        rng.FillNormal(values, 0f, 1f);
        double one, two;
        using (Parallelism.Limit(1))
        {
            one = BlockSum(values, 777);
        }

        using (Parallelism.Limit(2))
        {
            two = BlockSum(values, 777);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));

        // A loop nested in a part runs inline; every inner row is still visited once.
        var hits = new int[40 * 50];
        RowBlocks.ForEach(40, (outer, _, _) => RowBlocks.ForEachRange(50, 1, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                Interlocked.Increment(ref hits[(outer * 50) + r]);
            }
        }), size: 1);
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void APartsExceptionReachesTheCallerUnwrapped()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RowBlocks.ForEach(10_000, (block, _, _) =>
        {
            if (block == 3)
            {
                throw new InvalidOperationException("block 3");
            }
        }, size: 100));
        Assert.Equal("block 3", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RowBlocks.ForEachRange(10, 0, (_, _) => { }));
    }

    [Fact]
    public void EachThreadAtWorkGetsItsOwnScratch()
    {
        var made = 0;
        var inUse = new ConcurrentDictionary<object, bool>();
        RowBlocks.ForEach(
            100_000,
            () =>
            {
                Interlocked.Increment(ref made);
                return new object();
            },
            (_, _, _, state) =>
            {
                Assert.True(inUse.TryAdd(state, true), "a scratch object was shared by two blocks at once");
                Thread.SpinWait(500);
                Assert.True(inUse.TryRemove(state, out _));
            },
            size: 1000);
        Assert.InRange(made, 1, Environment.ProcessorCount + 1);
    }

    /// <summary>Σ values as per-block double sums reduced in block order.</summary>
    private static double BlockSum(float[] values, int size)
    {
        var partial = new double[RowBlocks.Count(values.Length, size)];
        RowBlocks.ForEach(values.Length, (block, start, end) =>
        {
            double sum = 0;
            for (int i = start; i < end; i++)
            {
                sum += values[i];
            }

            partial[block] = sum;
        }, size);
        return partial.Sum();
    }
}
