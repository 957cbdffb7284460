using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class MatMulTests
{
    [Theory]
    [InlineData(GemmForm.AB)]
    [InlineData(GemmForm.ABt)]
    [InlineData(GemmForm.AtB)]
    public void ForwardMatchesNaiveProduct(GemmForm form)
    {
        const int m = 3, k = 4, n = 5;
        var rng = new Rng(1);
        var a = form == GemmForm.AtB ? GradCheck.Random(rng, -1, 1, k, m) : GradCheck.Random(rng, -1, 1, m, k);
        var b = form == GemmForm.ABt ? GradCheck.Random(rng, -1, 1, n, k) : GradCheck.Random(rng, -1, 1, k, n);
        var tape = new Tape();
        var c = Ops.MatMul(tape.Input(a), tape.Input(b), form);
        Expect.Shape(c.Value, m, n);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = form == GemmForm.AtB ? a[p, i] : a[i, p];
                    double bv = form == GemmForm.ABt ? b[j, p] : b[p, j];
                    sum += av * bv;
                }

                expected[(i * n) + j] = sum;
            }
        }

        Expect.Close(expected, c.Value.Span);
    }

    [Theory]
    [InlineData(GemmForm.AB)]
    [InlineData(GemmForm.ABt)]
    [InlineData(GemmForm.AtB)]
    public void GradientsMatchFiniteDifferences(GemmForm form)
    {
        const int m = 3, k = 4, n = 5;
        var rng = new Rng(2);
        var a = form == GemmForm.AtB ? GradCheck.Random(rng, -1, 1, k, m) : GradCheck.Random(rng, -1, 1, m, k);
        var b = form == GemmForm.ABt ? GradCheck.Random(rng, -1, 1, n, k) : GradCheck.Random(rng, -1, 1, k, n);
        GradCheck.Check(v => Ops.MatMul(v[0], v[1], form), [a, b]);
    }

    [Fact]
    public void SameOperandTwiceAccumulatesBothGradients()
    {
        // x·xᵀ uses x in both slots; its gradient is the sum of both paths.
        var x = GradCheck.Random(new Rng(3), -1, 1, 3, 4);
        GradCheck.Check(v => Ops.MatMul(v[0], v[0], GemmForm.ABt), [x]);
    }

    [Fact]
    public void MismatchedInnerDimensionIsAClearError()
    {
        var tape = new Tape();
        var a = tape.Input(Tensor.Zeros(3, 4));
        var b = tape.Input(Tensor.Zeros(5, 6));
        var error = Assert.Throws<ArgumentException>(() => Ops.MatMul(a, b));
        Assert.Contains("MatMul", error.Message);
    }
}
