using Latent.Autodiff;
using Latent.Nn;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class TrainingTests
{
    [Fact]
    public void MlpLearnsXor()
    {
        var rng = new Rng(2024);
        var model = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 1, rng), new Sigmoid());
        var optimizer = new Adam(model.ParameterVars(), learningRate: 0.05f);
        var inputs = Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2);
        var targets = Tensor.FromArray([0f, 1f, 1f, 0f], 4, 1);
        using var tape = new Tape();
        float initial = Loss(tape, model, inputs, targets);
        for (int step = 0; step < 600; step++)
        {
            var loss = Ops.MeanSquaredError(model.Forward(tape.Input(inputs)), tape.Input(targets));
            tape.Backward(loss);
            optimizer.Step();
            optimizer.ZeroGrad();
            tape.Reset();
        }

        float final = Loss(tape, model, inputs, targets);
        Assert.True(initial > 0.2f, $"The untrained loss {initial} is already low.");
        Assert.True(final < 1e-3f, $"XOR loss {final} after training (untrained {initial}).");
        tape.GradEnabled = false;
        float[] outputs = model.Forward(tape.Input(inputs)).Value.ToArray();
        tape.Reset();
        for (int i = 0; i < 4; i++)
        {
            Assert.True(targets[i] == 1f ? outputs[i] > 0.5f : outputs[i] < 0.5f, $"XOR output {i} is {outputs[i]}.");
        }
    }

    [Fact]
    public void MlpFitsASine()
    {
        const int N = 64, Steps = 400;
        var x = new float[N];
        var y = new float[N];
        for (int i = 0; i < N; i++)
        {
            x[i] = -MathF.PI + (2 * MathF.PI * i / (N - 1));
            y[i] = MathF.Sin(x[i]);
        }

        var inputs = Tensor.FromArray(x, N, 1);
        var targets = Tensor.FromArray(y, N, 1);
        var rng = new Rng(99);
        var model = new Sequential(new Linear(1, 16, rng), new Tanh(), new Linear(16, 16, rng), new Tanh(), new Linear(16, 1, rng));
        var optimizer = new Adam(model.ParameterVars(), learningRate: 0.02f);
        var schedule = new Cosine(Steps, 1e-4f);
        using var tape = new Tape();
        float initial = Loss(tape, model, inputs, targets);
        for (int step = 0; step < Steps; step++)
        {
            optimizer.LearningRate = schedule.Rate(0.02f, step);
            tape.Backward(Ops.MeanSquaredError(model.Forward(tape.Input(inputs)), tape.Input(targets)));
            GradientClipping.ClipByGlobalNorm(optimizer.Parameters, 1f);
            optimizer.Step();
            optimizer.ZeroGrad();
            tape.Reset();
        }

        float final = Loss(tape, model, inputs, targets);
        Assert.True(initial > 0.1f, $"The untrained MSE {initial} is already low.");
        Assert.True(final < 1e-3f, $"MSE {final} after training (untrained {initial}).");
    }

    private static float Loss(Tape tape, Module model, Tensor inputs, Tensor targets)
    {
        float loss = Ops.MeanSquaredError(model.Forward(tape.Input(inputs)), tape.Input(targets)).Item;
        tape.Reset();
        return loss;
    }
}
