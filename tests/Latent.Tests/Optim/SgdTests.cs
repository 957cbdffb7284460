using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

public class SgdTests
{
    // 37 elements: whole vectors of every width (16, 8, 4 floats) and a scalar tail, so every path of the
    // vectorised update is checked.
    private static readonly float[] s_start = [.. Enumerable.Range(0, 37).Select(i => 2f * MathF.Sin(i + 0.5f))];
    private static readonly float[] s_target = [.. Enumerable.Range(0, 37).Select(i => MathF.Cos(1.3f * i))];

    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(0.0, 0.0, false, 0.0)]
    [InlineData(0.0, 0.0, false, 0.05)]
    [InlineData(0.9, 0.0, false, 0.0)]
    [InlineData(0.9, 0.3, false, 0.05)]
    [InlineData(0.8, 0.0, true, 0.0)]
    [InlineData(0.8, 0.0, true, 0.05)]
    public void FirstThreeStepsMatchThePublishedFormulas(double momentum, double dampening, bool nesterov, double weightDecay)
    {
        const double Lr = 0.2;
        var parameter = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length));
        var optimizer = new Sgd([parameter], (float)Lr, (float)momentum, (float)dampening, nesterov, (float)weightDecay);

        // PyTorch's SGD in double: d = g + λθ; b = d on the first step, else μb + (1 − τ)d;
        // θ −= lr·(d + μb) with Nesterov, θ −= lr·b with momentum, θ −= lr·d without.
        int n = s_start.Length;
        double[] theta = [.. s_start.Select(v => (double)v)];
        double[] buffer = new double[n];
        using var tape = new Tape();
        for (int t = 1; t <= 3; t++)
        {
            var target = tape.Input(Tensor.FromArray((float[])s_target.Clone(), n));
            tape.Backward(Ops.MeanSquaredError(parameter, target));
            optimizer.Step();
            optimizer.ZeroGrad();
            tape.Reset();
            for (int i = 0; i < n; i++)
            {
                double d = (2 * (theta[i] - s_target[i]) / n) + (weightDecay * theta[i]);
                if (momentum != 0)
                {
                    buffer[i] = t == 1 ? d : (momentum * buffer[i]) + ((1 - dampening) * d);
                    d = nesterov ? d + (momentum * buffer[i]) : buffer[i];
                }

                theta[i] -= Lr * d;
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(theta[i], parameter.Value[i], 5e-6);
            }
        }

        var state = optimizer.StateDict();
        if (momentum != 0)
        {
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(buffer[i], state["state.0.momentum_buffer"][i], 5e-6);
            }
        }
        else
        {
            Assert.False(state.ContainsKey("state.0.momentum_buffer"));
        }
    }

    [Fact]
    public void NesterovNeedsMomentumAndNoDampening()
    {
        var p = Var.Parameter(Tensor.Zeros(1));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1f, momentum: 0f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], -0.1f));
    }

    [Fact]
    public void LearningRateCanBeChangedBetweenSteps()
    {
        var p = Var.Parameter(Tensor.FromArray([1f], 1));
        var optimizer = new Sgd([p], 0.5f);
        p.Grad = Tensor.FromArray([2f], 1);
        p.HasGrad = true;
        optimizer.Step();
        Assert.Equal(0f, p.Value[0]);
        optimizer.LearningRate = 0.25f;
        optimizer.Step();
        Assert.Equal(-0.5f, p.Value[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = float.PositiveInfinity);
    }
}
