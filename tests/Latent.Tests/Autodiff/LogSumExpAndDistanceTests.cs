using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class LogSumExpAndDistanceTests
{
    [Fact]
    public void LogSumExpRowsMatchesNaiveFormula()
    {
        var x = GradCheck.Random(new Rng(70), -3, 3, 3, 20);
        var tape = new Tape();
        var y = tape.Input(x).LogSumExpRows();
        Expect.Shape(y.Value, 3);
        var expected = Enumerable.Range(0, 3).Select(i => Math.Log(Enumerable.Range(0, 20).Sum(j => Math.Exp(x[i, j])))).ToArray();
        Expect.Close(expected, y.Value.Span);
        GradCheck.Check(v => v[0].LogSumExpRows(), [x]);
    }

    [Fact]
    public void LogSumExpRowsIsStableAtThousand()
    {
        var x = Tensor.FromArray([1000f, 1000f, 999f, -1000f, -1000f, -1001f], 2, 3);
        var tape = new Tape();
        var input = tape.Input(x, requiresGrad: true);
        var y = input.LogSumExpRows();
        double tail = Math.Log(2 + Math.Exp(-1));
        Expect.Close([1000 + tail, -1000 + tail], y.Value.Span, 1e-6);
        tape.Backward(y.Sum());

        // The gradient is each row's softmax.
        double big = 1 / (2 + Math.Exp(-1)), small = Math.Exp(-1) / (2 + Math.Exp(-1));
        Expect.Close([big, big, small, big, big, small], input.Grad!.Span, 1e-6);
    }

    [Fact]
    public void LogSumExpOfMinusInfinityRowIsMinusInfinity()
    {
        var tape = new Tape();
        var y = tape.Input(Tensor.FromArray([float.NegativeInfinity, float.NegativeInfinity, 0f, 0f], 2, 2)).LogSumExpRows();
        Assert.Equal(float.NegativeInfinity, y.Value[0]);
        Assert.Equal(MathF.Log(2f), y.Value[1], 1e-6f);
    }

    [Fact]
    public void PairwiseSquaredDistancesMatchNaiveLoops()
    {
        var rng = new Rng(71);
        var x = GradCheck.Random(rng, -1, 1, 4, 3);
        var y = GradCheck.Random(rng, -1, 1, 5, 3);
        var tape = new Tape();
        var d = Ops.PairwiseSquaredDistances(tape.Input(x), tape.Input(y));
        Expect.Shape(d.Value, 4, 5);
        var expected = new double[20];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                expected[(i * 5) + j] = Enumerable.Range(0, 3).Sum(k => Math.Pow(x[i, k] - y[j, k], 2));
            }
        }

        Expect.Close(expected, d.Value.Span, 1e-5);
    }

    [Fact]
    public void PairwiseSquaredDistancesGradients()
    {
        var rng = new Rng(72);
        var x = GradCheck.Random(rng, -1, 1, 4, 3);
        var y = GradCheck.Random(rng, -1, 1, 5, 3);
        GradCheck.Check(v => Ops.PairwiseSquaredDistances(v[0], v[1]), [x, y]);
    }

    [Fact]
    public void PairwiseSquaredDistancesOfOneSetWithItself()
    {
        // MMD's k(z, z) term: the diagonal is 0 (clamped, never negative) and the gradient flows through both slots.
        var z = GradCheck.Random(new Rng(73), -1, 1, 4, 3);
        var tape = new Tape();
        var input = tape.Input(z);
        var d = Ops.PairwiseSquaredDistances(input, input);
        for (int i = 0; i < 4; i++)
        {
            Assert.InRange(d.Value[i, i], 0f, 1e-6f);
        }

        Assert.All(d.Value.ToArray(), v => Assert.True(v >= 0f));

        // Off the diagonal the distance is smooth; the diagonal entries are weighted 0 in W by the product with an off-diagonal mask.
        var offDiagonal = Tensor.Zeros(4, 4);
        offDiagonal.Fill(1f);
        for (int i = 0; i < 4; i++)
        {
            offDiagonal[i, i] = 0f;
        }

        GradCheck.Check(v => Ops.Multiply(Ops.PairwiseSquaredDistances(v[0], v[0]), v[1]), [z, offDiagonal], differentiable: [true, false]);
    }
}
