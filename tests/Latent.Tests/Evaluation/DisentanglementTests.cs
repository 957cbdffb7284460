using Latent.Data;
using Latent.Evaluation;
using Latent.Tensors;

namespace Latent.Tests.Evaluation;

public class DisentanglementTests
{
    private static readonly ShapesSource s_shapes = new();

    // A constructed code of the shapes items: unit u copies factor units[u] (its value index over its size), or
    // is pure noise where units[u] is −1; no image is drawn.
    private static Func<int[], Tensor> Code(int[] units, ulong seed = 7)
    {
        var rng = new Rng(seed);
        return items =>
        {
            var codes = Tensor.Zeros(items.Length, units.Length);
            Span<int> factors = stackalloc int[5];
            for (int i = 0; i < items.Length; i++)
            {
                ShapesSource.GetFactors(items[i], factors);
                for (int u = 0; u < units.Length; u++)
                {
                    codes[i, u] = units[u] >= 0 ? (float)factors[units[u]] / ShapesSource.FactorSizes[units[u]] : (float)rng.NextGaussian();
                }
            }

            return codes;
        };
    }

    private static readonly BetaVaeMetricOptions s_small = new() { BatchSize = 16, TrainPoints = 300, TestPoints = 200, Seed = 3 };

    [Fact]
    public void TheBetaVaeMetricScoresAFactorPerUnitCodeNearOneAndANoiseCodeNearChance()
    {
        var perfect = BetaVaeMetric.Measure(Code([0, 1, 2, 3, 4, -1, -1]), s_shapes, s_small);
        Assert.InRange(perfect.Accuracy, 0.97, 1.0);
        Assert.Equal(0.2, perfect.Chance, 12);

        var noise = BetaVaeMetric.Measure(Code([-1, -1, -1, -1, -1, -1, -1]), s_shapes, s_small);
        Assert.InRange(noise.Accuracy, 0.0, 0.35);

        // Only position in the code: x and y are recognised, the other three are told apart by chance (≈ 2/5 + 3/5 · 1/3).
        var position = BetaVaeMetric.Measure(Code([3, 4, -1, -1]), s_shapes, s_small);
        Assert.InRange(position.Accuracy, 0.45, 0.75);
    }

    [Fact]
    public void TheMutualInformationGapOfAFactorPerUnitCodeIsNearOneAndOfNoiseNearZero()
    {
        var perfect = MutualInformationGap.Measure(Code([0, 1, 2, 3, 4, -1]), s_shapes, items: 8000, bins: 40, seed: 1);
        Assert.InRange(perfect.Score, 0.93, 1.0);
        Assert.All(perfect.PerFactor, g => Assert.InRange(g, 0.9, 1.0));
        Assert.Equal(Math.Log(3), perfect.FactorEntropy[0], 0.01);

        var noise = MutualInformationGap.Measure(Code([-1, -1, -1, -1]), s_shapes, items: 8000, seed: 1);
        Assert.InRange(noise.Score, 0.0, 0.05);

        // Position only: x and y each in one unit (gap ≈ 1), nothing about shape, scale or rotation (gap ≈ 0).
        var position = MutualInformationGap.Measure(Code([3, 4, -1]), s_shapes, items: 8000, bins: 32, seed: 1);
        Assert.InRange(position.Score, 0.35, 0.45);
    }

    [Fact]
    public void TheGapIsTheNormalisedDifferenceBetweenTheTwoMostInformativeUnits()
    {
        // Factor 0 takes 0, 1 equally often; unit 0 copies it, unit 1 copies it too, unit 2 is constant.
        var codes = Tensor.Zeros(8, 3);
        var factors = new int[8];
        for (int i = 0; i < 8; i++)
        {
            factors[i] = i % 2;
            codes[i, 0] = i % 2;
            codes[i, 1] = i % 2;
            codes[i, 2] = 5f;
        }

        var duplicated = MutualInformationGap.Measure(codes, factors, [2]);
        Assert.Equal(Math.Log(2), duplicated.MutualInformation[0, 0], 12);
        Assert.Equal(Math.Log(2), duplicated.MutualInformation[1, 0], 12);
        Assert.Equal(0, duplicated.MutualInformation[2, 0], 12);
        Assert.Equal(0, duplicated.Score, 12);

        for (int i = 0; i < 8; i++)
        {
            codes[i, 1] = i / 4; // independent of the factor within these eight items
        }

        var alone = MutualInformationGap.Measure(codes, factors, [2]);
        Assert.Equal(0, alone.MutualInformation[1, 0], 12);
        Assert.Equal(1, alone.Score, 12);
    }

    [Fact]
    public void MetricsRejectBadInputsNamingThem()
    {
        var codes = Tensor.Zeros(4, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MutualInformationGap.Measure(codes, [0, 1, 2, 0], [2]));
        Assert.Contains("Factor 0 of item 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MutualInformationGap.Measure(codes, [0, 0, 0, 0], [2]));
        Assert.Throws<ArgumentException>(() => MutualInformationGap.Measure(codes, [0, 1], [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaVaeMetric.Measure(Code([0]), s_shapes, new BetaVaeMetricOptions { BatchSize = 0 }));
        var wrong = Assert.Throws<InvalidOperationException>(() => BetaVaeMetric.Measure(_ => Tensor.Zeros(3, 2), s_shapes, s_small));
        Assert.Contains("expected", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFactorResponseAveragesTheCodeOverTheOtherFactors()
    {
        // Unit 0 copies x, unit 1 copies scale: on the (y, x) map unit 0 varies along x only, and unit 1 averages to about the mean scale.
        var response = FactorResponse.Measure(Code([3, 1]), s_shapes, [4, 3], samplesPerCell: 4, seed: 2);
        Assert.Equal(32 * 32, response.Cells);
        var map = response.Map(0);
        Assert.Equal(3.0 / 32, map[17, 3], 6);
        Assert.Equal(30.0 / 32, map[0, 30], 6);
        var scale = response.Map(1);
        double mean = Enumerable.Range(0, 32 * 32).Average(c => scale[c / 32, c % 32]);
        Assert.Equal(2.5 / 6, mean, 0.02);

        var curve = FactorResponse.Measure(Code([3, 1]), s_shapes, [1], samplesPerCell: 3).Curve(1);
        Assert.Equal(6, curve.Length);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(i / 6.0, curve[i], 6);
        }

        Assert.Throws<ArgumentException>(() => FactorResponse.Measure(Code([0]), s_shapes, [3, 3]));
        Assert.Throws<InvalidOperationException>(() => FactorResponse.Measure(Code([0]), s_shapes, [1]).Map(0));
    }

    [Fact]
    public void ShapesTellTheirFactorsAsAFactorSource()
    {
        IFactorSource source = s_shapes;
        Assert.Equal(["shape", "scale", "rotation", "x", "y"], source.FactorNames);
        int[] items = [0, 12345, source.Count - 1];
        var factors = new int[15];
        source.CopyFactors(items, factors);
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(items[i], source.IndexOf(factors.AsSpan(i * 5, 5)));
        }

        Assert.Equal([2, 5, 39, 31, 31], factors[10..]);
        Assert.Throws<ArgumentException>(() => source.CopyFactors(items, new int[14]));
        Assert.NotNull(DatasetCatalog.OpenFactors("shapes:n=100"));
        Assert.Null(DatasetCatalog.OpenFactors("digits-8x8"));
    }
}
