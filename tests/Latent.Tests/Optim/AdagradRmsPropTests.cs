using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

/// <summary>Adagrad and RMSprop against PyTorch's update rules, worked in double, and on a quadratic.</summary>
public class AdagradRmsPropTests
{
    // 37 elements: whole vectors of every width (16, 8, 4 floats) and a scalar tail.
    private static readonly float[] s_start = [.. Enumerable.Range(0, 37).Select(i => 2f * MathF.Sin(i + 0.5f))];
    private static readonly float[] s_centre = [.. Enumerable.Range(0, 37).Select(i => MathF.Cos(1.3f * i))];
    private static readonly float[] s_curvature = [.. Enumerable.Range(0, 37).Select(i => 0.5f + (i % 5))];

    [Fact]
    [Trait("Category", "Kernels")]
    public void AdagradFirstThreeStepsMatchPyTorchsRuleWithEveryOption()
    {
        const double Lr = 0.1, LrDecay = 0.3, Wd = 0.05, Initial = 0.2, Eps = 1e-3;
        var parameter = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length), "theta");
        var optimizer = new Adagrad([parameter], (float)Lr, (float)LrDecay, (float)Wd, (float)Initial, (float)Eps);
        Assert.Equal([new OptimizerSlot("sum", 0.2f)], optimizer.Slots);

        int n = s_start.Length;
        double[] theta = [.. s_start.Select(v => (double)v)];
        double[] sum = [.. Enumerable.Repeat(Initial, n)];
        for (int t = 1; t <= 3; t++)
        {
            double[] g = Gradient(parameter);
            optimizer.Step();
            double clr = Lr / (1 + ((t - 1) * LrDecay));
            for (int i = 0; i < n; i++)
            {
                double d = g[i] + (Wd * theta[i]);
                sum[i] += d * d;
                theta[i] -= clr * d / (Math.Sqrt(sum[i]) + Eps);
            }

            for (int i = 0; i < n; i++)
            {
                Assert.Equal(theta[i], parameter.Value[i], 5e-6);
                Assert.Equal(sum[i], optimizer.StateDict()["state.0.sum"][i], 2e-5 * Math.Max(1, sum[i]));
            }
        }

        Assert.Equal(["state.0.sum", "state.0.step"], optimizer.StateDict().Keys);
        Assert.Equal(3f, optimizer.StateDict()["state.0.step"][0]);
    }

    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.9)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.9)]
    public void RmsPropFirstThreeStepsMatchPyTorchsRule(bool centered, double momentum)
    {
        const double Lr = 0.01, Alpha = 0.9, Wd = 0.05, Eps = 1e-3;
        var parameter = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length), "theta");
        var optimizer = new RmsProp([parameter], (float)Lr, (float)Alpha, (float)Eps, (float)Wd, (float)momentum, centered);
        string[] slots = ["square_avg", .. momentum > 0 ? ["momentum_buffer"] : Array.Empty<string>(), .. centered ? ["grad_avg"] : Array.Empty<string>()];
        Assert.Equal(slots, optimizer.Slots.Select(s => s.Name));

        int n = s_start.Length;
        double[] theta = [.. s_start.Select(v => (double)v)];
        double[] v = new double[n], gAvg = new double[n], buf = new double[n];
        for (int t = 1; t <= 3; t++)
        {
            double[] g = Gradient(parameter);
            optimizer.Step();
            for (int i = 0; i < n; i++)
            {
                double d = g[i] + (Wd * theta[i]);
                v[i] = (Alpha * v[i]) + ((1 - Alpha) * d * d);
                double avg;
                if (centered)
                {
                    gAvg[i] = (Alpha * gAvg[i]) + ((1 - Alpha) * d);
                    avg = Math.Sqrt(v[i] - (gAvg[i] * gAvg[i])) + Eps;
                }
                else
                {
                    avg = Math.Sqrt(v[i]) + Eps;
                }

                if (momentum > 0)
                {
                    buf[i] = (momentum * buf[i]) + (d / avg);
                    theta[i] -= Lr * buf[i];
                }
                else
                {
                    theta[i] -= Lr * d / avg;
                }
            }

            var state = optimizer.StateDict();
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(theta[i], parameter.Value[i], 2e-5);
                Assert.Equal(v[i], state["state.0.square_avg"][i], 1e-4 * Math.Max(1, v[i]));
                if (centered)
                {
                    Assert.Equal(gAvg[i], state["state.0.grad_avg"][i], 1e-5);
                }

                if (momentum > 0)
                {
                    Assert.Equal(buf[i], state["state.0.momentum_buffer"][i], 1e-4 * Math.Max(1, Math.Abs(buf[i])));
                }
            }
        }
    }

    [Fact]
    public void RmsPropHandComputedOnOneElement()
    {
        // θ = 1, g = 2 each step (a constant gradient, set by hand), α = 0.5, centred, momentum 0.5, lr 0.1, eps 0:
        // step 1: v = 0.5·4 = 2, ḡ = 1, a = √(2 − 1) = 1, b = 2, θ = 1 − 0.2 = 0.8;
        // step 2: v = 1 + 2 = 3, ḡ = 0.5 + 1 = 1.5, a = √(3 − 2.25) = √0.75, b = 1 + 2/√0.75, θ = 0.8 − 0.1·b.
        var parameter = Var.Parameter(Tensor.FromArray([1f], 1));
        var optimizer = new RmsProp([parameter], learningRate: 0.1f, alpha: 0.5f, epsilon: 0f, momentum: 0.5f, centered: true);
        SetGradient(parameter, 2f);
        optimizer.Step();
        Assert.Equal(0.8f, parameter.Value[0], 6);
        SetGradient(parameter, 2f);
        optimizer.Step();
        Assert.Equal(0.8 - (0.1 * (1 + (2 / Math.Sqrt(0.75)))), parameter.Value[0], 6);

        // Adagrad, lr 1, lr decay 1, initial accumulator 1, eps 0, g = 1 then 1:
        // step 1: s = 2, θ = 1 − 1/√2; step 2: rate 1/2, s = 3, θ −= 0.5/√3.
        var p = Var.Parameter(Tensor.FromArray([1f], 1));
        var adagrad = new Adagrad([p], learningRate: 1f, learningRateDecay: 1f, initialAccumulator: 1f, epsilon: 0f);
        SetGradient(p, 1f);
        adagrad.Step();
        Assert.Equal(1 - (1 / Math.Sqrt(2)), p.Value[0], 6);
        SetGradient(p, 1f);
        adagrad.Step();
        Assert.Equal(1 - (1 / Math.Sqrt(2)) - (0.5 / Math.Sqrt(3)), p.Value[0], 6);
    }

    public static TheoryData<string> ConvergingOptimizers => new()
    {
        "adagrad", "adagrad-decay", "rmsprop", "rmsprop-centered", "rmsprop-momentum", "rmsprop-centered-momentum",
    };

    [Theory]
    [MemberData(nameof(ConvergingOptimizers))]
    public void ConvergesOnAQuadratic(string which)
    {
        // f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², minimised at c; the rules above drive θ to c.
        var parameter = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length));
        Optimizer optimizer = which switch
        {
            "adagrad" => new Adagrad([parameter], learningRate: 0.5f),
            "adagrad-decay" => new Adagrad([parameter], learningRate: 1f, learningRateDecay: 1e-3f, initialAccumulator: 0.1f),
            "rmsprop" => new RmsProp([parameter], learningRate: 1e-2f),
            "rmsprop-centered" => new RmsProp([parameter], learningRate: 1e-2f, centered: true),
            "rmsprop-momentum" => new RmsProp([parameter], learningRate: 1e-3f, momentum: 0.9f),
            _ => new RmsProp([parameter], learningRate: 1e-3f, momentum: 0.9f, centered: true),
        };
        double start = Distance(parameter);
        for (int step = 0; step < 3000; step++)
        {
            Gradient(parameter);
            optimizer.Step();
        }

        Assert.True(Distance(parameter) < 2e-2 * start, $"{which}: ‖θ − c‖ went from {start} to {Distance(parameter)}");
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void KernelsGiveEveryElementTheSameBitsWhateverTheLengthAndOffset()
    {
        // The fused kernels are not element-wise operators (they write several arrays), so the reflection-driven
        // length-invariance test cannot find them: each is run here over every length 0..100 at several offsets
        // into a long input and compared bit for bit with the run over the whole input.
        const int Long = 140;
        var rng = new Rng(5);
        float[] theta = new float[Long], g = new float[Long], s = new float[Long], a = new float[Long], b = new float[Long];
        rng.FillNormal(theta);
        rng.FillNormal(g);
        rng.FillUniform(s, 0f, 1f);
        rng.FillNormal(a, 0f, 0.1f);
        rng.FillNormal(b);
        g[3] = 0f;
        g[17] = -0f;
        g[40] = 1e-40f;

        float[] wholeTheta = [.. theta], wholeS = [.. s];
        AdagradKernel.Update(wholeTheta, wholeS, g, 0.3f, 0.3f, 1e-10f);
        var whole = new float[4][];
        foreach (bool centered in new[] { false, true })
        {
            foreach (float momentum in new[] { 0f, 0.9f })
            {
                float[] t = [.. theta], v = [.. s], ga = [.. a], buf = [.. b];
                RmsPropKernel.Update(t, v, centered ? ga : default, momentum > 0 ? buf : default, g, 0.9f, 0.3f, momentum, 0.3f, 1e-8f, centered);
                whole[(centered ? 2 : 0) + (momentum > 0 ? 1 : 0)] = [.. t, .. v, .. ga, .. buf];
            }
        }

        foreach (int offset in new[] { 0, 1, 3, 7, 13, 31 })
        {
            for (int n = 0; n <= 100; n++)
            {
                float[] pt = theta.AsSpan(offset, n).ToArray(), ps = s.AsSpan(offset, n).ToArray();
                AdagradKernel.Update(pt, ps, g.AsSpan(offset, n), 0.3f, 0.3f, 1e-10f);
                AssertBits(wholeTheta.AsSpan(offset, n), pt, $"adagrad θ, length {n}, offset {offset}");
                AssertBits(wholeS.AsSpan(offset, n), ps, $"adagrad sum, length {n}, offset {offset}");

                foreach (bool centered in new[] { false, true })
                {
                    foreach (float momentum in new[] { 0f, 0.9f })
                    {
                        float[] t = theta.AsSpan(offset, n).ToArray(), v = s.AsSpan(offset, n).ToArray();
                        float[] ga = a.AsSpan(offset, n).ToArray(), buf = b.AsSpan(offset, n).ToArray();
                        RmsPropKernel.Update(t, v, centered ? ga : default, momentum > 0 ? buf : default, g.AsSpan(offset, n), 0.9f, 0.3f, momentum, 0.3f, 1e-8f, centered);
                        float[] expected = whole[(centered ? 2 : 0) + (momentum > 0 ? 1 : 0)];
                        string where = $"rmsprop centered {centered} momentum {momentum}, length {n}, offset {offset}";
                        AssertBits(expected.AsSpan(offset, n), t, where + " θ");
                        AssertBits(expected.AsSpan(Long + offset, n), v, where + " v");
                        AssertBits(expected.AsSpan((2 * Long) + offset, n), ga, where + " ḡ");
                        AssertBits(expected.AsSpan((3 * Long) + offset, n), buf, where + " b");
                    }
                }
            }
        }
    }

    [Fact]
    public void StateRoundTripsAndContinuesIdentically()
    {
        foreach (Func<Var, Optimizer> make in new Func<Var, Optimizer>[]
        {
            p => new Adagrad([p], 0.1f, 0.01f, 0.01f, 0.1f),
            p => new RmsProp([p], 0.01f, 0.9f, 1e-8f, 0.01f, 0.5f, centered: true),
        })
        {
            var a = Var.Parameter(Tensor.FromArray((float[])s_start.Clone(), s_start.Length));
            var optimizerA = make(a);
            Gradient(a);
            optimizerA.Step();
            Gradient(a);
            optimizerA.Step();

            var b = Var.Parameter(a.Value.Clone());
            var optimizerB = make(b);
            optimizerB.LoadStateDict(optimizerA.StateDict());
            Gradient(a);
            optimizerA.Step();
            Gradient(b);
            optimizerB.Step();
            Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        }

        // A centred RMSprop's state does not fit a plain one.
        var plain = new RmsProp([Var.Parameter(Tensor.Zeros(37))]);
        var centeredState = new RmsProp([Var.Parameter(Tensor.Zeros(37))], centered: true).StateDict();
        Assert.Contains("unexpected 'state.0.grad_avg'", Assert.Throws<ArgumentException>(() => plain.LoadStateDict(centeredState)).Message);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        var p = Var.Parameter(Tensor.Zeros(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad([p], initialAccumulator: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad([p], learningRateDecay: float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad([p], epsilon: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], alpha: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], momentum: -0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], weightDecay: float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => AdagradKernel.Update(new float[4], new float[3], new float[4], 0f, 1f, 0f));
        Assert.Throws<ArgumentException>(() => RmsPropKernel.Update(new float[4], new float[4], new float[3], default, new float[4], 0.9f, 0f, 0f, 1f, 0f, centered: true));
    }

    /// <summary>Sets the gradient of ½ Σ aᵢ(θᵢ − cᵢ)², aᵢ(θᵢ − cᵢ), and returns it in double (from the float θ the optimizer sees).</summary>
    private static double[] Gradient(Var parameter)
    {
        int n = parameter.Value.Length;
        var grad = Tensor.Zeros(n);
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            grad[i] = s_curvature[i] * (parameter.Value[i] - s_centre[i]);
            result[i] = grad[i];
        }

        parameter.Grad = grad;
        parameter.HasGrad = true;
        return result;
    }

    private static void SetGradient(Var parameter, float value)
    {
        parameter.Grad = Tensor.FromArray([value], 1);
        parameter.HasGrad = true;
    }

    private static double Distance(Var parameter)
    {
        double sum = 0;
        for (int i = 0; i < parameter.Value.Length; i++)
        {
            double d = parameter.Value[i] - s_centre[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{where}, element {i}: {expected[i]} over the whole input, {actual[i]} here.");
            }
        }
    }
}
