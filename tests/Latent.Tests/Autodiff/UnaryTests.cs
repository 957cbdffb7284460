using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class UnaryTests
{
    // Each op with its double-precision formula and an input range that is smooth for it (Abs away from its kink).
    public static TheoryData<string> Names() => ["exp", "log", "softplus", "square", "sqrt", "abs", "negate"];

    private static Var Apply(string name, Var x) => name switch
    {
        "exp" => x.Exp(),
        "log" => x.Log(),
        "softplus" => x.Softplus(),
        "square" => x.Square(),
        "sqrt" => x.Sqrt(),
        "abs" => x.Abs(),
        _ => x.Negate(),
    };

    private static double Reference(string name, double x) => name switch
    {
        "exp" => Math.Exp(x),
        "log" => Math.Log(x),
        "softplus" => Math.Log(1 + Math.Exp(x)),
        "square" => x * x,
        "sqrt" => Math.Sqrt(x),
        "abs" => Math.Abs(x),
        _ => -x,
    };

    private static Tensor Input(string name, ulong seed)
    {
        var rng = new Rng(seed);
        if (name is "log" or "sqrt")
        {
            return GradCheck.Random(rng, 0.3f, 2f, 3, 19);
        }

        var x = GradCheck.Random(rng, -2f, 2f, 3, 19);
        if (name == "abs")
        {
            // Push every entry at least 0.1 from the kink at 0.
            var s = x.Span;
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = s[i] >= 0 ? s[i] + 0.1f : s[i] - 0.1f;
            }
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardMatchesFormula(string name)
    {
        var x = Input(name, 20);
        var tape = new Tape();
        var y = Apply(name, tape.Input(x));
        Expect.Shape(y.Value, 3, 19);
        Expect.Close(x.ToArray().Select(v => Reference(name, v)).ToArray(), y.Value.Span);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GradientsMatchFiniteDifferences(string name)
    {
        GradCheck.Check(v => Apply(name, v[0]), [Input(name, 21)]);
    }

    [Fact]
    public void SoftplusIsStableForLargeInputs()
    {
        // −80 keeps e^x a normal float (below about −87 it is subnormal and holds fewer digits).
        var x = Tensor.FromArray([-80f, -30f, -20f, 0f, 20f, 30f, 100f, 1e6f], 8);
        var tape = new Tape();
        var y = tape.Input(x).Softplus();
        double[] expected = x.ToArray().Select(v => Math.Max(v, 0) + Latent.Tests.Tensors.ElementWiseOperatorTests.Log1p(Math.Exp(-Math.Abs((double)v)))).ToArray();

        // Relative accuracy holds even where log(1 + eˣ) ≈ eˣ is tiny.
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(y.Value[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]), $"softplus({x[i]}) = {y.Value[i]}, expected {expected[i]}.");
        }
    }

    [Fact]
    public void AbsGradientIsZeroAtZero()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([-2f, 0f, 3f], 3), requiresGrad: true);
        tape.Backward(x.Abs().Sum());
        Assert.Equal([-1f, 0f, 1f], x.Grad!.ToArray());
    }
}
