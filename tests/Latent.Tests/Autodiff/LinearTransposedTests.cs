using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class LinearTransposedTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForwardIsZTimesWPlusBias(bool withBias)
    {
        var rng = new Rng(90);
        var z = GradCheck.Random(rng, -1, 1, 3, 5);
        var w = GradCheck.Random(rng, -1, 1, 5, 7);
        var b = GradCheck.Random(rng, -1, 1, 7);
        using var tape = new Tape();
        var y = Ops.LinearTransposed(tape.Input(z), tape.Input(w), withBias ? tape.Input(b) : null);
        Expect.Shape(y.Value, 3, 7);
        var expected = new double[21];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 7; j++)
            {
                double sum = withBias ? b[j] : 0;
                for (int k = 0; k < 5; k++)
                {
                    sum += (double)z[i, k] * w[k, j];
                }

                expected[(i * 7) + j] = sum;
            }
        }

        Expect.Close(expected, y.Value.Span);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientsMatchFiniteDifferences(bool withBias)
    {
        var rng = new Rng(91);
        var z = GradCheck.Random(rng, -1, 1, 4, 3);
        var w = GradCheck.Random(rng, -1, 1, 3, 6);
        var b = GradCheck.Random(rng, -1, 1, 6);
        if (withBias)
        {
            GradCheck.Check(v => Ops.LinearTransposed(v[0], v[1], v[2]), [z, w, b], epsilon: 1e-3f, tolerance: 5e-3);
        }
        else
        {
            GradCheck.Check(v => Ops.LinearTransposed(v[0], v[1]), [z, w], epsilon: 1e-3f, tolerance: 5e-3);
        }
    }

    [Fact]
    public void ATiedWeightGetsTheSumOfBothUses()
    {
        // x̂ = (x·Wᵀ)·W through Linear then LinearTransposed on the same W: the finite-difference check covers
        // the gradient accumulated from the encoder's use and the decoder's.
        var rng = new Rng(92);
        var x = GradCheck.Random(rng, -1, 1, 4, 6);
        var w = GradCheck.Random(rng, -1, 1, 3, 6);
        var b = GradCheck.Random(rng, -1, 1, 6);
        GradCheck.Check(v => Ops.LinearTransposed(Ops.Linear(v[0], v[1]), v[1], v[2]), [x, w, b], epsilon: 1e-3f, tolerance: 5e-3);
    }

    [Fact]
    public void MismatchedShapesAreNamed()
    {
        using var tape = new Tape();
        var z = tape.Input(Tensor.Zeros(2, 3));
        var error = Assert.Throws<ArgumentException>(() => Ops.LinearTransposed(z, tape.Input(Tensor.Zeros(4, 5))));
        Assert.Contains("LinearTransposed: the input has 3 features", error.Message);
        Assert.Throws<ArgumentException>(() => Ops.LinearTransposed(z, tape.Input(Tensor.Zeros(3, 5)), tape.Input(Tensor.Zeros(3))));
    }
}
