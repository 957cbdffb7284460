using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class ReparameterizeTests
{
    [Fact]
    public void ForwardIsMeanPlusStandardDeviationTimesEpsilon()
    {
        var rng = new Rng(50);
        var mean = GradCheck.Random(rng, -1, 1, 3, 17);
        var logVar = GradCheck.Random(rng, -2, 1, 3, 17);
        var epsilon = GradCheck.Random(rng, -2, 2, 3, 17);
        var tape = new Tape();
        var z = Ops.Reparameterize(tape.Input(mean), tape.Input(logVar), epsilon);
        var expected = Enumerable.Range(0, 51).Select(i => mean[i] + (Math.Exp(0.5 * logVar[i]) * epsilon[i])).ToArray();
        Expect.Close(expected, z.Value.Span);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Rng(51);
        var mean = GradCheck.Random(rng, -1, 1, 3, 17);
        var logVar = GradCheck.Random(rng, -2, 1, 3, 17);
        var epsilon = GradCheck.Random(rng, -2, 2, 3, 17);
        GradCheck.Check(v => Ops.Reparameterize(v[0], v[1], epsilon), [mean, logVar]);

        // The sampling overload draws the same ε from a generator in the same state.
        GradCheck.Check(v => Ops.Reparameterize(v[0], v[1], new Rng(9)), [mean, logVar]);
    }

    [Fact]
    public void SamplingOverloadUsesFillNormal()
    {
        var mean = GradCheck.Random(new Rng(52), -1, 1, 2, 5);
        var logVar = GradCheck.Random(new Rng(53), -1, 1, 2, 5);
        var epsilon = Tensor.Zeros(2, 5);
        new Rng(7).FillNormal(epsilon.Span);
        var tape = new Tape();
        var sampled = Ops.Reparameterize(tape.Input(mean), tape.Input(logVar), new Rng(7));
        var given = Ops.Reparameterize(tape.Input(mean), tape.Input(logVar), epsilon);
        Assert.Equal(given.Value.ToArray(), sampled.Value.ToArray());
    }

    [Fact]
    public void MismatchedShapesAreAClearError()
    {
        var tape = new Tape();
        var error = Assert.Throws<ArgumentException>(() => Ops.Reparameterize(tape.Input(Tensor.Zeros(2, 3)), tape.Input(Tensor.Zeros(2, 4)), new Rng(1)));
        Assert.Contains("logσ²", error.Message);
    }
}
