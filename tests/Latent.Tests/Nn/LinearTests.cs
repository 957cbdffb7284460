using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void InitialisationIsUniformWithinOneOverRootFanIn()
    {
        const int In = 1000, Out = 300;
        var layer = new Linear(In, Out, new Rng(7));
        double bound = 1 / Math.Sqrt(In);
        Assert.Equal([Out, In], layer.Weight.Value.Shape);
        Assert.Equal([Out], layer.Bias!.Value.Shape);
        float[] w = layer.Weight.Value.ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(layer.Bias.Value.ToArray(), v => Assert.InRange(v, -bound, bound));

        // U(−b, b) has mean 0 and variance b²/3; the sample of 300,000 pins both to well under 1%.
        double mean = w.Average(v => (double)v);
        double variance = w.Average(v => (v - mean) * (v - mean));
        double sdOfMean = bound / Math.Sqrt(3 * w.Length);
        Assert.InRange(mean, -5 * sdOfMean, 5 * sdOfMean);
        Assert.InRange(variance, bound * bound / 3 * 0.99, bound * bound / 3 * 1.01);
        Assert.True(w.Max() > bound * 0.999 && w.Min() < -bound * 0.999, "The draws do not fill the interval.");
        double biasMean = layer.Bias.Value.ToArray().Average(v => (double)v);
        Assert.InRange(biasMean, -5 * bound / Math.Sqrt(3 * Out), 5 * bound / Math.Sqrt(3 * Out));
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeights()
    {
        var a = new Linear(17, 9, new Rng(3));
        var b = new Linear(17, 9, new Rng(3));
        var c = new Linear(17, 9, new Rng(4));
        Assert.Equal(a.Weight.Value.ToArray(), b.Weight.Value.ToArray());
        Assert.Equal(a.Bias!.Value.ToArray(), b.Bias!.Value.ToArray());
        Assert.NotEqual(a.Weight.Value.ToArray(), c.Weight.Value.ToArray());
    }

    [Theory]
    [InlineData(Activation.Identity, true)]
    [InlineData(Activation.Tanh, true)]
    [InlineData(Activation.Relu, false)]
    public void ForwardMatchesANaiveLoop(Activation activation, bool bias)
    {
        var rng = new Rng(11);
        var layer = new Linear(5, 3, rng, bias, activation);
        Assert.Equal(bias ? 2 : 1, layer.Parameters().Count());
        var data = new float[4 * 5];
        rng.FillNormal(data);
        using var tape = new Tape();
        var y = layer.Forward(tape.Input(Tensor.FromArray(data, 4, 5)));
        Assert.Equal([4, 3], y.Value.Shape);
        for (int r = 0; r < 4; r++)
        {
            for (int o = 0; o < 3; o++)
            {
                double z = bias ? layer.Bias!.Value[o] : 0;
                for (int i = 0; i < 5; i++)
                {
                    z += data[(r * 5) + i] * (double)layer.Weight.Value[o, i];
                }

                double expected = activation switch
                {
                    Activation.Tanh => Math.Tanh(z),
                    Activation.Relu => Math.Max(z, 0),
                    _ => z,
                };
                Assert.Equal(expected, y.Value[r, o], 1e-5);
            }
        }
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, -1, new Rng(1)));
        var layer = new Linear(3, 2, new Rng(1));
        using var tape = new Tape();
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(tape.Input(Tensor.Zeros(2, 4))));
        Assert.Contains("4 features", error.Message);
    }
}
