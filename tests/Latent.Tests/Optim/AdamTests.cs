using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

public class AdamTests
{
    // 37 elements: whole vectors of every width (16, 8, 4 floats) and a scalar tail, so every path of the
    // vectorised update is checked.
    private static readonly float[] s_start = [.. Enumerable.Range(0, 37).Select(i => 2f * MathF.Sin(i + 0.5f))];
    private static readonly float[] s_target = [.. Enumerable.Range(0, 37).Select(i => MathF.Cos(1.3f * i))];

    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.1)]
    [InlineData(true, 0.0)]
    public void FirstThreeStepsMatchThePublishedFormulas(bool decoupled, double weightDecay)
    {
        const double Lr = 0.1, Beta1 = 0.8, Beta2 = 0.95, Eps = 1e-3;
        var parameter = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length), "theta");
        Adam optimizer = decoupled
            ? new AdamW([parameter], (float)Lr, (float)Beta1, (float)Beta2, (float)Eps, (float)weightDecay)
            : new Adam([parameter], (float)Lr, (float)Beta1, (float)Beta2, (float)Eps, (float)weightDecay);

        // The same three steps in double, written from the papers / PyTorch documentation.
        int n = s_start.Length;
        double[] theta = [.. s_start.Select(v => (double)v)];
        double[] m = new double[n], v = new double[n];
        using var tape = new Tape();
        for (int t = 1; t <= 3; t++)
        {
            StepOnMse(tape, parameter, optimizer);
            for (int i = 0; i < n; i++)
            {
                double g = 2 * (theta[i] - s_target[i]) / n;
                if (decoupled)
                {
                    theta[i] *= 1 - (Lr * weightDecay);
                }
                else
                {
                    g += weightDecay * theta[i];
                }

                m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
                v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(Beta1, t));
                double vHat = v[i] / (1 - Math.Pow(Beta2, t));
                theta[i] -= Lr * mHat / (Math.Sqrt(vHat) + Eps);
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(theta[i], parameter.Value[i], 5e-6);
            }
        }

        Assert.Equal(3, optimizer.StepCount(0));
        var state = optimizer.StateDict();
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(m[i], state["state.0.exp_avg"][i], 1e-6);
            Assert.Equal(v[i], state["state.0.exp_avg_sq"][i], 1e-6);
        }

        Assert.Equal(3f, state["state.0.step"][0]);
    }

    [Fact]
    public void EpsilonIsAddedAfterTheBiasCorrection()
    {
        // With one step m̂ = g and √v̂ = |g|, so the move is lr·g/(|g| + eps): a tiny gradient against a large
        // eps tells the two placements of eps apart (eps inside the correction would move 0.09 instead of 0.5).
        var parameter = Var.Parameter(Tensor.FromArray([1f], 1));
        var optimizer = new Adam([parameter], learningRate: 1f, beta1: 0.9f, beta2: 0.99f, epsilon: 1e-3f);
        parameter.Grad = Tensor.FromArray([1e-3f], 1);
        parameter.HasGrad = true;
        optimizer.Step();
        Assert.Equal(1.0 - (1e-3 / (1e-3 + 1e-3)), parameter.Value[0], 1e-6);
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var used = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length), "used");
        var unused = Var.Parameter(Tensor.FromArray([1f, 2f], 2), "unused");
        var optimizer = new AdamW([used, unused], learningRate: 0.1f, weightDecay: 0.5f);
        using var tape = new Tape();
        StepOnMse(tape, used, optimizer);
        StepOnMse(tape, used, optimizer);
        Assert.Equal([1f, 2f], unused.Value.ToArray());
        Assert.Equal(2, optimizer.StepCount(0));
        Assert.Equal(0, optimizer.StepCount(1));
        Assert.NotEqual(s_start, used.Value.ToArray());
    }

    [Fact]
    public void StateRoundTripContinuesIdentically()
    {
        var a = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length), "a");
        var optimizerA = new Adam([a], learningRate: 0.05f, beta1: 0.7f, beta2: 0.9f, weightDecay: 0.01f);
        using var tape = new Tape();
        StepOnMse(tape, a, optimizerA);
        StepOnMse(tape, a, optimizerA);

        var b = Var.Parameter(a.Value.Clone(), "b");
        var optimizerB = new Adam([b], learningRate: 0.05f, beta1: 0.7f, beta2: 0.9f, weightDecay: 0.01f);
        var saved = optimizerA.StateDict();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step"], saved.Keys);
        optimizerB.LoadStateDict(saved);
        Assert.Equal(2, optimizerB.StepCount(0));

        StepOnMse(tape, a, optimizerA);
        StepOnMse(tape, b, optimizerB);
        Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
    }

    [Fact]
    public void LoadingMismatchedStateFailsClearlyAndChangesNothing()
    {
        var a = Var.Parameter(Tensor.Zeros(2, 3), "encoder.weight");
        var optimizer = new Adam([a]);
        var state = optimizer.StateDict();
        state["state.0.exp_avg"] = Tensor.Zeros(3, 2);
        var error = Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(state));
        Assert.Contains("'state.0.exp_avg' (for parameter 'encoder.weight') has shape [3, 2] in the state but [2, 3]", error.Message);

        state = optimizer.StateDict();
        state["state.0.exp_avg_sq"].Fill(5f);
        state.Remove("state.0.step");
        state.Add("state.1.step", Tensor.FromArray([1f], 1));
        error = Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(state));
        Assert.Contains("missing 'state.0.step'", error.Message);
        Assert.Contains("unexpected 'state.1.step'", error.Message);
        Assert.All(optimizer.StateDict()["state.0.exp_avg_sq"].ToArray(), value => Assert.Equal(0f, value));

        state = optimizer.StateDict();
        state["state.0.step"] = Tensor.FromArray([2.5f], 1);
        error = Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(state));
        Assert.Contains("'state.0.step' is 2.5", error.Message);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        var p = Var.Parameter(Tensor.Zeros(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], learningRate: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], weightDecay: -1f));
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
        using var tape = new Tape();
        var node = tape.Input(Tensor.Zeros(1), requiresGrad: true);
        Assert.Throws<ArgumentException>(() => new Adam([node]));
    }

    /// <summary>One step on loss = mean((θ − target)²), whose gradient is 2(θ − target)/n.</summary>
    internal static void StepOnMse(Tape tape, Var parameter, Optimizer optimizer)
    {
        var target = tape.Input(Tensor.FromArray((float[])s_target.Clone(), parameter.Value.Shape));
        tape.Backward(Ops.MeanSquaredError(parameter, target));
        optimizer.Step();
        optimizer.ZeroGrad();
        tape.Reset();
    }
}
