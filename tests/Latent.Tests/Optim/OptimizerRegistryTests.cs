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
        Assert.Equal(["adam", "adamw", "sgd", "adagrad", "rmsprop"], OptimizerRegistry.Optimizers.Select(o => o.Name));
        Assert.Equal(["constant", "cosine", "step"], OptimizerRegistry.Schedules.Select(s => s.Name));
        Assert.Equal("adam, adamw, sgd, adagrad or rmsprop", OptimizerRegistry.OptimizerNames);
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

        var error = Assert.Throws<ArgumentException>(() => OptimizerRegistry.ParseOptimizer("adadelta"));
        Assert.Contains("adam, adamw, sgd, adagrad or rmsprop", error.Message);
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

        var full = settings with { LearningRateDecay = 0.25f, InitialAccumulator = 0.5f, RmsPropAlpha = 0.8f, Centered = true };
        var adagrad = Assert.IsType<Adagrad>(OptimizerRegistry.Create(OptimizerKind.Adagrad, [parameter], full));
        Assert.Equal((0.02f, 0.25f, 0.3f, 0.5f, 1e-6f), (adagrad.LearningRate, adagrad.LearningRateDecay, adagrad.WeightDecay, adagrad.InitialAccumulator, adagrad.Epsilon));
        var rmsprop = Assert.IsType<RmsProp>(OptimizerRegistry.Create(OptimizerKind.RmsProp, [parameter], full));
        Assert.Equal((0.02f, 0.8f, 1e-6f, 0.3f, 0.7f, true), (rmsprop.LearningRate, rmsprop.Alpha, rmsprop.Epsilon, rmsprop.WeightDecay, rmsprop.Momentum, rmsprop.Centered));
        Assert.Equal(["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"], OptimizerRegistry.Get(OptimizerKind.Adagrad).Values(full).Keys);
        Assert.Equal("rmsprop (lr 0.02, alpha 0.8, eps 1E-06, weight decay 0.3, momentum 0.7, centered true)", OptimizerRegistry.Get(OptimizerKind.RmsProp).Describe(full));

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
        Assert.Throws<FormatException>(() => TrainerOptions.FromJson(json.Replace("adamw", "adadelta", StringComparison.Ordinal)));
        var rmsprop = new TrainerOptions { Optimizer = OptimizerKind.RmsProp, Centered = true, RmsPropAlpha = 0.9f };
        Assert.Contains("\"optimizer\":\"rmsprop\"", rmsprop.ToJson());
        Assert.Equal(rmsprop, TrainerOptions.FromJson(rmsprop.ToJson()));

        var error = Assert.Throws<ArgumentException>(() => new TrainerOptions { Optimizer = (OptimizerKind)7 }.Validate());
        Assert.Contains("adam, adamw, sgd, adagrad or rmsprop", error.Message);
        Assert.Throws<ArgumentException>(() => new TrainerOptions { Beta1 = 1f }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { RmsPropAlpha = 1f }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { InitialAccumulator = -1f }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRateDecay = float.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRate = 0f }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions { Schedule = (ScheduleKind)7 }.Validate());
    }

    [Fact]
    public void UnsetSharedSettingsTakeTheChosenOptimizersPyTorchDefaults()
    {
        var adam = new TrainerOptions().OptimizerSettings;
        Assert.Equal((1e-3f, 1e-8f), (adam.LearningRate, adam.Epsilon));
        Assert.Equal(0.9f, new TrainerOptions { Optimizer = OptimizerKind.Sgd }.OptimizerSettings.Momentum);
        var adagrad = new TrainerOptions { Optimizer = OptimizerKind.Adagrad }.OptimizerSettings;
        Assert.Equal((1e-2f, 1e-10f, 0f, 0f), (adagrad.LearningRate, adagrad.Epsilon, adagrad.InitialAccumulator, adagrad.LearningRateDecay));
        var rmsprop = new TrainerOptions { Optimizer = OptimizerKind.RmsProp }.OptimizerSettings;
        Assert.Equal((1e-2f, 1e-8f, 0f, 0.99f, false), (rmsprop.LearningRate, rmsprop.Epsilon, rmsprop.Momentum, rmsprop.RmsPropAlpha, rmsprop.Centered));
        var set = new TrainerOptions { Optimizer = OptimizerKind.RmsProp, LearningRate = 0.5f, Momentum = 0.3f, Epsilon = 1e-4f }.OptimizerSettings;
        Assert.Equal((0.5f, 0.3f, 1e-4f), (set.LearningRate, set.Momentum, set.Epsilon));
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
        protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
        {
            var sum = Slot(0, index, elements);
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
        protected override void Update(int index, Range elements, Span<float> value, ReadOnlySpan<float> gradient, int step)
        {
        }
    }
}
