using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Latent.Tests.Optim;

/// <summary>
/// The built-in optimizers update large parameters in parts of 32,768 elements on every core: the result must be
/// the whole-parameter update, bit for bit, on any number of threads.
/// </summary>
public class OptimizerPartsTests
{
    // Lengths that cut into several parts with a ragged last one, beside parameters too small to split.
    private static readonly int[] s_lengths = [100_003, 7, 65_536, 400];

    public static TheoryData<string> Optimizers => ["sgd", "sgd-nesterov", "adam", "adamw", "adagrad", "rmsprop-centred-momentum"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    [Trait("Category", "Kernels")]
    public void OneThreadAndTwoGiveTheSameParameters(string kind)
    {
        float[][] one = Train(kind, threads: 1);
        float[][] two = Train(kind, threads: 2);
        for (int p = 0; p < one.Length; p++)
        {
            Assert.Equal(one[p], two[p]);
        }
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void AdamInPartsIsTheKernelOverTheWholeParameter()
    {
        var (parameters, gradients) = Parameters();
        var adam = new Adam(parameters, learningRate: 1e-2f);
        var expected = parameters.Select(p => p.Value.ToArray()).ToArray();
        var m = expected.Select(e => new float[e.Length]).ToArray();
        var v = expected.Select(e => new float[e.Length]).ToArray();
        for (int step = 1; step <= 3; step++)
        {
            SetGradients(parameters, gradients, step);
            using (Parallelism.Limit(2))
            {
                adam.Step();
            }

            float stepSize = (float)(1e-2f / (1.0 - Math.Pow(0.9f, step)));
            float correction2 = (float)Math.Sqrt(1.0 - Math.Pow(0.999f, step));
            for (int p = 0; p < expected.Length; p++)
            {
                var g = parameters[p].Grad!.ToArray();
                AdamKernel.Update(expected[p], m[p], v[p], g, 0.9f, 0.999f, 0f, 1f, stepSize, correction2, 1e-8f);
            }
        }

        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p], parameters[p].Value.ToArray());
        }
    }

    private static float[][] Train(string kind, int threads)
    {
        var (parameters, gradients) = Parameters();
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(parameters, 1e-2f, momentum: 0.9f, dampening: 0.1f, weightDecay: 1e-3f),
            "sgd-nesterov" => new Sgd(parameters, 1e-2f, momentum: 0.9f, nesterov: true),
            "adam" => new Adam(parameters, weightDecay: 1e-3f),
            "adamw" => new AdamW(parameters),
            "adagrad" => new Adagrad(parameters, learningRateDecay: 1e-3f, weightDecay: 1e-3f),
            _ => new RmsProp(parameters, weightDecay: 1e-3f, momentum: 0.5f, centered: true),
        };
        using (Parallelism.Limit(threads))
        {
            for (int step = 1; step <= 3; step++)
            {
                SetGradients(parameters, gradients, step);
                optimizer.Step();
            }
        }

        return [.. parameters.Select(p => p.Value.ToArray())];
    }

    private static (Var[] Parameters, Tensor[] Gradients) Parameters()
    {
        var rng = new Rng(90);
        var parameters = s_lengths.Select(n =>
        {
            var value = Tensor.Zeros(n);
            rng.FillNormal(value.Span, 0f, 1f);
            return Var.Parameter(value);
        }).ToArray();
        var gradients = s_lengths.Select(n =>
        {
            var g = Tensor.Zeros(n);
            rng.FillNormal(g.Span, 0f, 1f);
            return g;
        }).ToArray();
        return (parameters, gradients);
    }

    // Each step a different gradient (the stored one scaled by the step), set as a backward pass would set it.
    private static void SetGradients(Var[] parameters, Tensor[] gradients, int step)
    {
        for (int p = 0; p < parameters.Length; p++)
        {
            var g = gradients[p].Clone();
            TensorPrimitives.Multiply(g.Span, step, g.Span);
            parameters[p].Grad = g;
            parameters[p].HasGrad = true;
        }
    }
}
