using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void EvalModeIsTheIdentity()
    {
        var dropout = new Dropout(0.5f, new Rng(1));
        dropout.Eval();
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, 2f, 3f], 3));
        Assert.Same(x, dropout.Forward(x));
        Assert.Equal([1f, 2f, 3f], dropout.Forward(x).Value.ToArray());
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.75f)]
    public void TrainingDropsAtRatePAndScalesTheRest(float p)
    {
        const int N = 100_000;
        var dropout = new Dropout(p, new Rng(2));
        Assert.True(dropout.Training);
        var data = new float[N];
        new Rng(3).FillUniform(data, 0.5f, 1.5f);
        using var tape = new Tape();
        var y = dropout.Forward(tape.Input(Tensor.FromArray(data, 100, 1000)));
        Assert.Equal([100, 1000], y.Value.Shape);
        float scale = 1f / (1f - p);
        int dropped = 0;
        for (int i = 0; i < N; i++)
        {
            if (y.Value[i] == 0f)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(data[i] * scale, y.Value[i]);
            }
        }

        double sd = Math.Sqrt(p * (1 - p) / N);
        Assert.InRange((double)dropped / N, p - (5 * sd), p + (5 * sd));
    }

    [Fact]
    public void GradientPassesOnlyThroughKeptElementsScaled()
    {
        const float P = 0.4f;
        const int N = 1000;
        var rng = new Rng(4);
        var data = new float[N];
        var targetData = new float[N];
        rng.FillUniform(data, 0.5f, 1.5f);
        rng.FillNormal(targetData);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, 10, 100), requiresGrad: true);
        var y = Ops.Dropout(x, P, new Rng(5));
        tape.Backward(Ops.MeanSquaredError(y, tape.Input(Tensor.FromArray(targetData, 10, 100))));
        float scale = 1f / (1f - P);
        int kept = 0;
        for (int i = 0; i < N; i++)
        {
            if (y.Value[i] == 0f)
            {
                Assert.Equal(0f, x.Grad![i]);
            }
            else
            {
                kept++;
                double upstream = 2.0 * (y.Value[i] - targetData[i]) / N;
                Assert.Equal(upstream * scale, x.Grad![i], 1e-7);
            }
        }

        Assert.InRange(kept, 500, 700);
    }

    [Fact]
    public void GradientAddsToAnExistingOne()
    {
        const int N = 64;
        var data = new float[N];
        new Rng(6).FillUniform(data, 0.5f, 1.5f);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, N), requiresGrad: true);
        var y = Ops.Dropout(x, 0.5f, new Rng(7));

        // loss = mean((y − x)²) reaches x twice: as the target (first, −2(y − x)/N) and through the
        // dropout (added to it, 2(y − x)/N · m with m = 2 or 0).
        tape.Backward(Ops.MeanSquaredError(y, x));
        for (int i = 0; i < N; i++)
        {
            double mask = y.Value[i] == 0f ? 0 : 2;
            double expected = 2.0 * (y.Value[i] - data[i]) / N * (mask - 1);
            Assert.Equal(expected, x.Grad![i], 1e-6);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameMask()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(Enumerable.Repeat(1f, 257).ToArray(), 257));
        float[] a = Ops.Dropout(x, 0.5f, new Rng(9)).Value.ToArray();
        float[] b = Ops.Dropout(x, 0.5f, new Rng(9)).Value.ToArray();
        float[] c = Ops.Dropout(x, 0.5f, new Rng(10)).Value.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ProbabilityZeroAndOneAreTheEdges()
    {
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, -2f, 3f], 3), requiresGrad: true);
        Assert.Same(x, Ops.Dropout(x, 0f, new Rng(1)));
        Assert.Equal([0f, 0f, 0f], Ops.Dropout(x, 1f, new Rng(1)).Value.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Dropout(x, 1.5f, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1f, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(float.NaN, new Rng(1)));
    }
}
