using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

/// <summary>
/// Checks an op's backward pass against central finite differences of its forward pass.
/// </summary>
/// <remarks>
/// The checked scalar is L = Σ op(inputs) ⊙ W for fixed random weights W, so every output element
/// contributes with its own weight and a gradient that is wrong for any element shows. The tape's gradient
/// of L is compared with (L(x + ε·e_k) − L(x − ε·e_k)) / 2ε, the forward computed in float and L summed in
/// double. The analytic side is run once for every non-empty subset of the differentiable slots requiring
/// a gradient, so that an op is right whichever inputs need one, and the slots that do not need one must
/// receive nothing.
/// </remarks>
internal static class GradCheck
{
    /// <summary>Random values uniform in [low, high) of the given shape.</summary>
    public static Tensor Random(Rng rng, float low, float high, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        rng.FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>Asserts the gradients of <paramref name="op"/> agree with finite differences.</summary>
    /// <param name="op">The op under test, taking one Var per input.</param>
    /// <param name="inputs">The input values (not modified).</param>
    /// <param name="differentiable">Which slots may require a gradient (all when null).</param>
    /// <param name="epsilon">The finite-difference step.</param>
    /// <param name="tolerance">Allowed |analytic − numeric| ≤ tolerance·(1 + |numeric|).</param>
    /// <param name="seed">Seed of the weights W.</param>
    public static void Check(Func<Var[], Var> op, Tensor[] inputs, bool[]? differentiable = null, float epsilon = 1e-2f, double tolerance = 3e-3, ulong seed = 1234)
    {
        int count = inputs.Length;
        differentiable ??= Enumerable.Repeat(true, count).ToArray();
        var values = inputs.Select(t => t.Clone()).ToArray();

        var probe = new Tape();
        var probeOutput = op(values.Select(v => probe.Input(v)).ToArray());
        var weights = Random(new Rng(seed), -1f, 1f, probeOutput.Value.Shape);
        probe.Reset();

        var numeric = new double[count][];
        var forwardTape = new Tape();
        for (int s = 0; s < count; s++)
        {
            if (!differentiable[s])
            {
                continue;
            }

            var span = values[s].Span;
            numeric[s] = new double[span.Length];
            for (int k = 0; k < span.Length; k++)
            {
                float original = span[k];
                span[k] = original + epsilon;
                double plus = Functional(op, values, weights, forwardTape);
                span[k] = original - epsilon;
                double minus = Functional(op, values, weights, forwardTape);
                span[k] = original;
                // The step actually taken, after rounding to float.
                double step = (double)(original + epsilon) - (original - epsilon);
                numeric[s][k] = (plus - minus) / step;
            }
        }

        int[] slots = Enumerable.Range(0, count).Where(s => differentiable[s]).ToArray();
        Assert.NotEmpty(slots);
        for (int subset = 1; subset < 1 << slots.Length; subset++)
        {
            var requires = new bool[count];
            for (int b = 0; b < slots.Length; b++)
            {
                requires[slots[b]] = (subset & (1 << b)) != 0;
            }

            var tape = new Tape();
            var vars = values.Select((v, s) => tape.Input(v, requires[s])).ToArray();
            var output = op(vars);
            var loss = Ops.Sum(Ops.Multiply(output, tape.Input(weights)));
            tape.Backward(loss);
            for (int s = 0; s < count; s++)
            {
                if (!requires[s])
                {
                    Assert.False(vars[s].HasGrad, $"Slot {s} does not require a gradient but received one.");
                    continue;
                }

                Assert.True(vars[s].HasGrad, $"Slot {s} requires a gradient but received none.");
                var analytic = vars[s].Grad!.Span;
                for (int k = 0; k < analytic.Length; k++)
                {
                    double n = numeric[s][k];
                    double error = Math.Abs(analytic[k] - n);
                    Assert.True(
                        error <= tolerance * (1 + Math.Abs(n)),
                        $"Slot {s} element {k} (requiring {string.Join(",", requires)}): analytic {analytic[k]} but finite difference {n}.");
                }
            }

            tape.Reset();
        }
    }

    /// <summary>Σ op(values) ⊙ weights, the forward in float and the sum in double.</summary>
    private static double Functional(Func<Var[], Var> op, Tensor[] values, Tensor weights, Tape tape)
    {
        var output = op(values.Select(v => tape.Input(v)).ToArray()).Value.Span;
        var w = weights.Span;
        double total = 0;
        for (int j = 0; j < output.Length; j++)
        {
            total += (double)output[j] * w[j];
        }

        tape.Reset();
        return total;
    }
}

/// <summary>Assertions on tensors against double-precision references.</summary>
internal static class Expect
{
    /// <summary>|actual − expected| ≤ tolerance·(1 + |expected|) element by element, and the same length.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= tolerance * (1 + Math.Abs(expected[i])), $"Element {i}: expected {expected[i]}, got {actual[i]}.");
        }
    }

    /// <summary>The shape of <paramref name="tensor"/> is <paramref name="shape"/>.</summary>
    public static void Shape(Tensor tensor, params int[] shape) => Assert.Equal(shape, tensor.Shape);
}
