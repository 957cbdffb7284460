using Latent.Evaluation;

namespace Latent.Tests.Evaluation;

public sealed class ClusteringMetricsTests
{
    [Fact]
    public void PermutedLabellingScoresOne()
    {
        int[] labels = [0, 0, 1, 1, 2, 2, 2, 3];
        int[] clusters = [2, 2, 0, 0, 3, 3, 3, 1];
        Assert.Equal(1.0, ClusteringMetrics.Accuracy(labels, clusters), 12);
        Assert.Equal(1.0, ClusteringMetrics.NormalizedMutualInformation(labels, clusters), 12);
        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(labels, clusters), 12);
    }

    [Fact]
    public void HandComputedSplitCluster()
    {
        // Contingency (cluster × label): (2, 0), (1, 1), (0, 2).
        int[] labels = [0, 0, 0, 1, 1, 1];
        int[] clusters = [0, 0, 1, 1, 2, 2];

        // Σ C(nᵢⱼ, 2) = 2, Σ C(aᵢ, 2) = 3, Σ C(bⱼ, 2) = 6, C(6, 2) = 15: E = 1.2, ARI = 0.8 / 3.3.
        Assert.Equal(8.0 / 33.0, ClusteringMetrics.AdjustedRandIndex(labels, clusters), 12);

        // I = (2/3) log 2, H(C) = log 3, H(Y) = log 2.
        Assert.Equal((2.0 / 3.0 * Math.Log(2)) / ((Math.Log(3) + Math.Log(2)) / 2), ClusteringMetrics.NormalizedMutualInformation(labels, clusters), 12);

        // Best matching: cluster 0 → 0, cluster 2 → 1 (cluster 1 unmatched): 4 of 6.
        Assert.Equal(4.0 / 6.0, ClusteringMetrics.Accuracy(labels, clusters), 12);
    }

    [Fact]
    public void HandComputedIndependentPartition()
    {
        int[] labels = [0, 0, 1, 1];
        int[] clusters = [0, 1, 0, 1];
        Assert.Equal(0.0, ClusteringMetrics.NormalizedMutualInformation(labels, clusters), 12);
        Assert.Equal(-0.5, ClusteringMetrics.AdjustedRandIndex(labels, clusters), 12);
        Assert.Equal(0.5, ClusteringMetrics.Accuracy(labels, clusters), 12);
    }

    [Fact]
    public void HungarianFindsTheMaximumAgainstBruteForce()
    {
        var rng = new Latent.Tensors.Rng(3);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 2 + (trial % 5);
            var w = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    w[i, j] = Math.Round(rng.NextDouble() * 10);
                }
            }

            var assignment = Hungarian.MaximumWeightMatching(w);
            Assert.Equal(n, assignment.Distinct().Count());
            double total = Enumerable.Range(0, n).Sum(i => w[i, assignment[i]]);
            Assert.Equal(BruteForce(w, n), total, 9);
        }
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ClusteringMetrics.Accuracy([0, 1], [0]));
        Assert.Contains("2 labels but 1", error.Message, StringComparison.Ordinal);
    }

    private static double BruteForce(double[,] w, int n)
    {
        double best = double.NegativeInfinity;
        foreach (var permutation in Permutations(Enumerable.Range(0, n).ToArray(), 0))
        {
            best = Math.Max(best, Enumerable.Range(0, n).Sum(i => w[i, permutation[i]]));
        }

        return best;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int start)
    {
        if (start == items.Length)
        {
            yield return (int[])items.Clone();
            yield break;
        }

        for (int i = start; i < items.Length; i++)
        {
            (items[start], items[i]) = (items[i], items[start]);
            foreach (var permutation in Permutations(items, start + 1))
            {
                yield return permutation;
            }

            (items[start], items[i]) = (items[i], items[start]);
        }
    }
}
