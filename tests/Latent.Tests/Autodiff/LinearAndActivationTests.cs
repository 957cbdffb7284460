using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class LinearAndActivationTests
{
    public static TheoryData<Activation, bool> LinearCases()
    {
        var data = new TheoryData<Activation, bool>();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            data.Add(activation, true);
            data.Add(activation, false);
        }

        return data;
    }

    private static double Apply(Activation activation, double z, double slope) => activation switch
    {
        Activation.Identity => z,
        Activation.Relu => Math.Max(z, 0),
        Activation.LeakyRelu => z > 0 ? z : slope * z,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        _ => Math.Tanh(z),
    };

    // Inputs whose pre-activations stay at least 0.05 from the kink at 0, so finite differences never cross it.
    private static (Tensor X, Tensor W, Tensor B) LinearInputs(ulong seed)
    {
        var rng = new Rng(seed);
        while (true)
        {
            var x = GradCheck.Random(rng, -1, 1, 3, 4);
            var w = GradCheck.Random(rng, -1, 1, 5, 4);
            var b = GradCheck.Random(rng, -0.5f, 0.5f, 5);
            bool clear = true;
            for (int i = 0; i < 3 && clear; i++)
            {
                for (int o = 0; o < 5 && clear; o++)
                {
                    double z = b[o];
                    for (int k = 0; k < 4; k++)
                    {
                        z += x[i, k] * w[o, k];
                    }

                    clear = Math.Abs(z) > 0.1 && Math.Abs(z - b[o]) > 0.1;
                }
            }

            if (clear)
            {
                return (x, w, b);
            }
        }
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void LinearForwardMatchesNaiveLayer(Activation activation, bool withBias)
    {
        var (x, w, b) = LinearInputs(80);
        var tape = new Tape();
        var y = Ops.Linear(tape.Input(x), tape.Input(w), withBias ? tape.Input(b) : null, activation, 0.2f);
        Expect.Shape(y.Value, 3, 5);
        var expected = new double[15];
        for (int i = 0; i < 3; i++)
        {
            for (int o = 0; o < 5; o++)
            {
                double z = withBias ? b[o] : 0;
                for (int k = 0; k < 4; k++)
                {
                    z += (double)x[i, k] * w[o, k];
                }

                expected[(i * 5) + o] = Apply(activation, z, 0.2);
            }
        }

        Expect.Close(expected, y.Value.Span);
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void LinearGradientsMatchFiniteDifferences(Activation activation, bool withBias)
    {
        var (x, w, b) = LinearInputs(81);
        if (withBias)
        {
            GradCheck.Check(v => Ops.Linear(v[0], v[1], v[2], activation, 0.2f), [x, w, b], epsilon: 1e-3f, tolerance: 5e-3);
        }
        else
        {
            GradCheck.Check(v => Ops.Linear(v[0], v[1], null, activation, 0.2f), [x, w], epsilon: 1e-3f, tolerance: 5e-3);
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void ActivationForwardAndGradients(Activation activation)
    {
        var x = GradCheck.Random(new Rng(82), -2, 2, 3, 5);
        var s = x.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = s[i] >= 0 ? s[i] + 0.1f : s[i] - 0.1f;
        }

        var tape = new Tape();
        var y = tape.Input(x).Activate(activation, 0.3f);
        Expect.Close(x.ToArray().Select(v => Apply(activation, v, 0.3)).ToArray(), y.Value.Span);
        GradCheck.Check(v => v[0].Activate(activation, 0.3f), [x]);
    }

    [Fact]
    public void NamedActivationsAreTheEnumOnes()
    {
        var x = GradCheck.Random(new Rng(83), -2, 2, 2, 3);
        var tape = new Tape();
        var input = tape.Input(x);
        Assert.Equal(input.Activate(Activation.Relu).Value.ToArray(), input.Relu().Value.ToArray());
        Assert.Equal(input.Activate(Activation.LeakyRelu, 0.05f).Value.ToArray(), input.LeakyRelu(0.05f).Value.ToArray());
        Assert.Equal(input.Activate(Activation.Sigmoid).Value.ToArray(), input.Sigmoid().Value.ToArray());
        Assert.Equal(input.Activate(Activation.Tanh).Value.ToArray(), input.Tanh().Value.ToArray());
    }

    [Fact]
    public void NegativeLeakySlopeIsRefused()
    {
        // The backward pass reads the derivative from the output's sign, which a negative slope would flip.
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.LeakyRelu(-0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Linear(x, tape.Input(Tensor.Zeros(4, 3)), null, Activation.LeakyRelu, -0.1f));
    }

    [Fact]
    public void LinearRejectsMismatchedShapes()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(2, 3));
        Assert.Throws<ArgumentException>(() => Ops.Linear(x, tape.Input(Tensor.Zeros(4, 5))));
        Assert.Throws<ArgumentException>(() => Ops.Linear(x, tape.Input(Tensor.Zeros(4, 3)), tape.Input(Tensor.Zeros(3))));
    }
}
