using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Optim;

public class OptimizerRegistryTests
{
    [Fact]
    public void EveryKindHasOneRowWithAUniqueName()
    {
        Assert.Equal(Enum.GetValues<OptimizerKind>(), OptimizerRegistry.Optimizers.Select(o => o.Kind));
        Assert.Equal(Enum.GetValues<ScheduleKind>(), OptimizerRegistry.Schedules.Select(s => s.Kind));
        Assert.Equal(["adam", "adamw", "sgd"], OptimizerRegistry.Optimizers.Select(o => o.Name));
        Assert.Equal(["constant", "cosine", "step"], OptimizerRegistry.Schedules.Select(s => s.Name));
        Assert.Equal("adam, adamw or sgd", OptimizerRegistry.OptimizerNames);
        foreach (var entry in OptimizerRegistry.Optimizers)
        {
            Assert.Equal(entry.Kind, OptimizerRegistry.ParseOptimizer(entry.Name.ToUpperInvariant()));
            Assert.Same(entry, OptimizerRegistry.Get(entry.Kind));
            Assert.Equal(entry.Hyperparameters.Count, entry.Hyperparameters.Select(h => h.Key).Distinct().Count());
        }

        foreach (var entry in OptimizerRegistry.Schedules)
        {
            Assert.Equal(entry.Kind, OptimizerRegistry.ParseSchedule(entry.Name));
        }

        var error = Assert.Throws<ArgumentException>(() => OptimizerRegistry.ParseOptimizer("rmsprop"));
        Assert.Contains("adam, adamw or sgd", error.Message);
        Assert.False(OptimizerRegistry.TryParseSchedule("linear", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerRegistry.Get((OptimizerKind)99));
    }

    [Fact]
    public void TheFactoriesPassEveryHyperparameter()
    {
        var parameter = Var.Parameter(Tensor.Zeros(3));
        var settings = new OptimizerSettings { LearningRate = 0.02f, WeightDecay = 0.3f, Momentum = 0.7f, Beta1 = 0.8f, Beta2 = 0.95f, Epsilon = 1e-6f };
        var adam = Assert.IsType<Adam>(OptimizerRegistry.Create(OptimizerKind.Adam, [parameter], settings));
        Assert.Equal((0.02f, 0.8f, 0.95f, 1e-6f, 0.3f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        var adamW = Assert.IsType<AdamW>(OptimizerRegistry.Create(OptimizerKind.AdamW, [parameter], settings));
        Assert.Equal((0.8f, 0.3f), (adamW.Beta1, adamW.WeightDecay));
        var sgd = Assert.IsType<Sgd>(OptimizerRegistry.Create(OptimizerKind.Sgd, [parameter], settings));
        Assert.Equal((0.02f, 0.7f, 0.3f), (sgd.LearningRate, sgd.Momentum, sgd.WeightDecay));

        Assert.Equal("sgd (lr 0.02, momentum 0.7, weight decay 0.3)", OptimizerRegistry.Get(OptimizerKind.Sgd).Describe(settings));
        Assert.Equal(["lr", "beta1", "beta2", "eps", "weight_decay"], OptimizerRegistry.Get(OptimizerKind.Adam).Values(settings).Keys);

        Assert.Null(OptimizerRegistry.Create(ScheduleKind.Constant, new ScheduleSettings(10, 2, 0.5f)));
        Assert.Equal(10, Assert.IsType<Cosine>(OptimizerRegistry.Create(ScheduleKind.Cosine, new ScheduleSettings(10, 2, 0.5f))).Total);
        var step = Assert.IsType<StepDecay>(OptimizerRegistry.Create(ScheduleKind.Step, new ScheduleSettings(10, 2, 0.5f)));
        Assert.Equal((2, 0.5f), (step.StepSize, step.Gamma));
    }

    [Fact]
    public void TrainerOptionsSerialiseTheKindsInKebabCaseAndValidateThem()
    {
        var options = new TrainerOptions { Optimizer = OptimizerKind.AdamW, Schedule = ScheduleKind.Step, Beta2 = 0.99f, Seed = 3 };
        string json = options.ToJson();
        Assert.Contains("\"optimizer\":\"adamw\"", json);
        Assert.Contains("\"schedule\":\"step\"", json);
        Assert.Equal(options, TrainerOptions.FromJson(json));
        Assert.Throws<FormatException>(() => TrainerOptions.FromJson(json.Replace("adamw", "adagrad", StringComparison.Ordinal)));

        var error = Assert.Throws<ArgumentException>(() => new TrainerOptions { Optimizer = (OptimizerKind)7 }.Validate());
        Assert.Contains("adam, adamw or sgd", error.Message);
        Assert.Throws<ArgumentException>(() => new TrainerOptions { Beta1 = 1f }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { Schedule = (ScheduleKind)7 }.Validate());
    }

    [Fact]
    public void ASlotStartsFromItsDeclaredValue()
    {
        var parameter = Var.Parameter(Tensor.FromArray([1f, -2f, 3f], 3));
        var optimizer = new Accumulating([parameter], 0.5f);
        var state = optimizer.StateDict();
        Assert.Equal([0.1f, 0.1f, 0.1f], state["state.0.sum"].ToArray());
        Assert.Equal([0f, 0f, 0f], state["state.0.zero"].ToArray());
        Assert.Equal([new OptimizerSlot("sum", 0.1f), new OptimizerSlot("zero")], optimizer.Slots);

        // Adagrad's accumulator: s ← s + g², θ ← θ − η·g / √s.
        using var tape = new Tape();
        tape.Backward(Ops.MeanSquaredError(parameter, tape.Input(Tensor.Zeros(3))));
        optimizer.Step();

        // g = 2θ/3 for the mean squared value: g₀ = 2/3 at θ₀ = 1.
        double g = 2.0 / 3, s = 0.1 + (g * g);
        Assert.Equal(1 - (0.5 * g / Math.Sqrt(s)), parameter.Value[0], 5);
        Assert.Equal(s, optimizer.StateDict()["state.0.sum"][0], 5);

        var copy = new Accumulating([Var.Parameter(Tensor.Zeros(3))], 0.5f);
        copy.LoadStateDict(optimizer.StateDict());
        Assert.Equal(optimizer.StateDict()["state.0.sum"].ToArray(), copy.StateDict()["state.0.sum"].ToArray());
        Assert.Throws<ArgumentException>(() => new Repeated([Var.Parameter(Tensor.Zeros(1))]));
    }

    private sealed class Accumulating(IEnumerable<Var> parameters, float learningRate)
        : Optimizer(parameters, learningRate, new OptimizerSlot("sum", 0.1f), new OptimizerSlot("zero"))
    {
        protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient, int step)
        {
            var sum = Slot(0, index);
            for (int i = 0; i < value.Length; i++)
            {
                sum[i] += gradient[i] * gradient[i];
                value[i] -= LearningRate * gradient[i] / MathF.Sqrt(sum[i]);
            }
        }
    }

    private sealed class Repeated(IEnumerable<Var> parameters)
        : Optimizer(parameters, 0.1f, new OptimizerSlot("a"), new OptimizerSlot("a"))
    {
        protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient, int step)
        {
        }
    }
}
