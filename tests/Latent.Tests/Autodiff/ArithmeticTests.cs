using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class ArithmeticTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string op in new[] { "add", "subtract", "multiply", "divide" })
        {
            foreach (string layout in new[] { "same", "vector", "row" })
            {
                data.Add(op, layout);
            }
        }

        return data;
    }

    private static Var Apply(string op, Var a, Var b) => op switch
    {
        "add" => Ops.Add(a, b),
        "subtract" => Ops.Subtract(a, b),
        "multiply" => Ops.Multiply(a, b),
        _ => Ops.Divide(a, b),
    };

    private static double Reference(string op, double a, double b) => op switch
    {
        "add" => a + b,
        "subtract" => a - b,
        "multiply" => a * b,
        _ => a / b,
    };

    // b is kept away from zero so that division is smooth.
    private static (Tensor A, Tensor B) Inputs(string layout, ulong seed)
    {
        var rng = new Rng(seed);
        var a = GradCheck.Random(rng, -1, 1, 3, 4);
        int[] shape = layout switch { "same" => [3, 4], "vector" => [4], _ => [1, 4] };
        var b = GradCheck.Random(rng, 0.5f, 1.5f, shape);
        return (a, b);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesElementWiseFormula(string op, string layout)
    {
        var (a, b) = Inputs(layout, 5);
        var tape = new Tape();
        var y = Apply(op, tape.Input(a), tape.Input(b));
        Expect.Shape(y.Value, 3, 4);
        var expected = new double[12];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double bv = layout == "same" ? b[i, j] : b[j];
                expected[(i * 4) + j] = Reference(op, a[i, j], bv);
            }
        }

        Expect.Close(expected, y.Value.Span);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(string op, string layout)
    {
        var (a, b) = Inputs(layout, 6);
        GradCheck.Check(v => Apply(op, v[0], v[1]), [a, b]);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("subtract")]
    [InlineData("multiply")]
    [InlineData("divide")]
    public void SameVarInBothSlots(string op)
    {
        var x = GradCheck.Random(new Rng(7), 0.5f, 1.5f, 2, 3);
        GradCheck.Check(v => Apply(op, v[0], v[0]), [x]);
    }

    [Fact]
    public void ScalarOpsMatchFormulasAndGradients()
    {
        var x = GradCheck.Random(new Rng(8), -2, 2, 2, 5);
        var tape = new Tape();
        var input = tape.Input(x);
        Expect.Close(x.ToArray().Select(v => v + 1.5).ToArray(), input.AddScalar(1.5f).Value.Span);
        Expect.Close(x.ToArray().Select(v => v * -3.0).ToArray(), input.Scale(-3f).Value.Span);
        Expect.Close(x.ToArray().Select(v => -(double)v).ToArray(), input.Negate().Value.Span);
        GradCheck.Check(v => v[0].AddScalar(1.5f), [x]);
        GradCheck.Check(v => v[0].Scale(-3f), [x]);
        GradCheck.Check(v => v[0].Negate(), [x]);
    }

    [Fact]
    public void MismatchedShapesAreAClearError()
    {
        var tape = new Tape();
        var a = tape.Input(Tensor.Zeros(3, 4));
        var b = tape.Input(Tensor.Zeros(3, 1));
        var error = Assert.Throws<ArgumentException>(() => Ops.Add(a, b));
        Assert.Contains("row vector [4]", error.Message);
    }
}
