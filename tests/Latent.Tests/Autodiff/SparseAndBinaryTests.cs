using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class SparseAndBinaryTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    public void TopKMaskKeepsTheKLargestOfEachRow(int k)
    {
        var x = GradCheck.Random(new Rng(40), -1, 1, 5, 8);
        var tape = new Tape();
        var y = tape.Input(x).TopKMask(k);
        for (int i = 0; i < 5; i++)
        {
            var kept = Enumerable.Range(0, 8).OrderByDescending(j => x[i, j]).ThenBy(j => j).Take(k).ToHashSet();
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(kept.Contains(j) ? x[i, j] : 0f, y.Value[i, j]);
            }
        }
    }

    [Fact]
    public void TopKMaskBreaksTiesByLowerIndex()
    {
        var x = Tensor.FromArray([1f, 3f, 2f, 3f, 3f, 0f], 1, 6);
        var tape = new Tape();
        Assert.Equal([0f, 3f, 0f, 3f, 0f, 0f], tape.Input(x).TopKMask(2).Value.ToArray());
        Assert.Equal([0f, 3f, 2f, 3f, 3f, 0f], tape.Input(x).TopKMask(4).Value.ToArray());
    }

    [Fact]
    public void TopKMaskGradientFlowsOnlyThroughKeptEntries()
    {
        // Entries on a grid 0.1 apart, shuffled, so that a finite-difference step never changes which are kept.
        var rng = new Rng(41);
        var x = Tensor.Zeros(4, 7);
        for (int i = 0; i < 4; i++)
        {
            var order = rng.Permutation(7);
            for (int j = 0; j < 7; j++)
            {
                x[i, j] = (order[j] * 0.1f) - 0.3f;
            }
        }

        GradCheck.Check(v => v[0].TopKMask(3), [x], epsilon: 1e-3f);
    }

    [Fact]
    public void TopKMaskRejectsKAboveColumns()
    {
        var tape = new Tape();
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.Input(Tensor.Zeros(2, 3)).TopKMask(4));
    }

    [Fact]
    public void TopKMaskWithoutGradientKeepsNoMask()
    {
        var tape = new Tape();
        var y = tape.Input(Tensor.Zeros(2, 3)).TopKMask(1);
        Assert.Null(y.Saved);
    }

    [Fact]
    public void BinarizeThresholdsForwardAndPassesGradientStraightThrough()
    {
        var x = Tensor.FromArray([0.2f, 0.5f, 0.51f, 0.9f, -1f, 0.7f], 2, 3);
        var tape = new Tape();
        var input = tape.Input(x, requiresGrad: true);
        var y = input.BinarizeStraightThrough();
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 1f], y.Value.ToArray());
        Assert.Equal([0f, 1f, 1f, 1f, 0f, 1f], tape.Input(x).BinarizeStraightThrough(0.4f).Value.ToArray());
        var weights = Tensor.FromArray([1f, -2f, 3f, 0.5f, 4f, -1f], 2, 3);
        tape.Backward(Ops.Multiply(y, tape.Input(weights)).Sum());
        Assert.Equal(weights.ToArray(), input.Grad!.ToArray());
    }
}
