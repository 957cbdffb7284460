using Latent.Autodiff;
using Latent.Nn;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Nn;

/// <summary>Training under different thread limits (scoped, so these run alongside every other test).</summary>
public class TrainingThreadsTests
{
    [Fact]
    [Trait("Category", "Kernels")]
    public void TrainingIsBitwiseReproducibleForAnyThreadCount()
    {
        float[] initial, one, two;
        using (Parallelism.Limit(1))
        {
            (initial, one) = TrainMnistSizedMlp(seed: 5, steps: 50);
        }

        using (Parallelism.Limit(2))
        {
            (_, two) = TrainMnistSizedMlp(seed: 5, steps: 50);
        }

        Assert.Equal(one, two);
        Assert.NotEqual(initial, one);
        Assert.All(one, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ATrainingStepAllocatesNothingAfterWarmUp()
    {
        using (Parallelism.Limit(1))
        {
            var rng = new Rng(8);
            var model = new Sequential(
                new Linear(48, 32, rng), new Relu(), new Dropout(0.2f),
                new Linear(32, 16, rng), new Tanh(),
                new Linear(16, 32, rng), new LeakyRelu(0.1f),
                new Linear(32, 48, rng), new Sigmoid());
            var optimizer = new AdamW(model.ParameterVars(), learningRate: 1e-3f);
            var schedule = new LinearWarmup(10, new Cosine(100));
            var inputs = Tensor.Zeros(16, 48);
            rng.FillUniform(inputs.Span);
            using var tape = new Tape { Noise = rng };

            void Step(int step)
            {
                var x = tape.Input(inputs);
                var loss = Ops.MeanSquaredError(model.Forward(x), x);
                tape.Backward(loss);
                GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 1f);
                optimizer.LearningRate = schedule.Rate(1e-3f, step);
                optimizer.Step();
                optimizer.ZeroGrad();
                tape.Reset();
            }

            Step(0);
            Step(1);
            int created = tape.Pool.Created;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 2; step < 7; step++)
            {
                Step(step);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0L, allocated);
            Assert.Equal(created, tape.Pool.Created);
        }
    }

    /// <summary>A 784-64-10 MLP trained by Adam on random data in batches of 32; returns the parameters before and after.</summary>
    private static (float[] Initial, float[] Final) TrainMnistSizedMlp(ulong seed, int steps)
    {
        const int Batch = 32, Rows = 128;
        var rng = new Rng(seed);
        var model = new Sequential(new Linear(784, 64, rng), new Relu(), new Linear(64, 10, rng));
        float[] initial = Flatten(model);
        var optimizer = new Adam(model.ParameterVars(), learningRate: 1e-3f, weightDecay: 1e-4f);
        var data = Tensor.Zeros(Rows, 784);
        var labels = Tensor.Zeros(Rows, 10);
        rng.FillUniform(data.Span);
        rng.FillNormal(labels.Span);
        using var tape = new Tape();
        var x = tape.Pool.Rent(Batch, 784);
        var y = tape.Pool.Rent(Batch, 10);
        for (int step = 0; step < steps; step++)
        {
            int start = step * Batch % Rows;
            data.Span.Slice(start * 784, Batch * 784).CopyTo(x.Span);
            labels.Span.Slice(start * 10, Batch * 10).CopyTo(y.Span);
            tape.Backward(Ops.MeanSquaredError(model.Forward(tape.Input(x)), tape.Input(y)));
            optimizer.Step();
            optimizer.ZeroGrad();
            tape.Reset();
        }

        return (initial, Flatten(model));
    }

    private static float[] Flatten(Module model) => [.. model.ParameterVars().SelectMany(p => p.Value.ToArray())];
}
