namespace Latent.Optim;

/// <summary>
/// The one table of the optimizers and learning-rate schedules a training run can name: for each kind its
/// command-line name, the hyperparameters it reads and a factory. The trainer builds from it, validates
/// against it and describes runs with it; the command line takes its names and help from it.
/// </summary>
/// <remarks>
/// Adding an optimizer is one enum member and one row here (plus its class): the trainer, the checkpoint's
/// resume check and the command line pick it up.
/// </remarks>
public static class OptimizerRegistry
{
    private static readonly OptimizerHyperparameter[] s_adam =
    [
        OptimizerHyperparameter.LearningRate, OptimizerHyperparameter.Beta1, OptimizerHyperparameter.Beta2,
        OptimizerHyperparameter.Epsilon, OptimizerHyperparameter.WeightDecay,
    ];

    /// <summary>Every optimizer, in the order of <see cref="OptimizerKind"/>.</summary>
    public static IReadOnlyList<OptimizerEntry> Optimizers { get; } =
    [
        new(OptimizerKind.Adam, "adam", "Adam, L2 weight decay through the gradient", s_adam,
            (parameters, s) => new Adam(parameters, s.LearningRate, s.Beta1, s.Beta2, s.Epsilon, s.WeightDecay)),
        new(OptimizerKind.AdamW, "adamw", "Adam with decoupled weight decay", s_adam,
            (parameters, s) => new AdamW(parameters, s.LearningRate, s.Beta1, s.Beta2, s.Epsilon, s.WeightDecay)),
        new(OptimizerKind.Sgd, "sgd", "SGD with momentum",
            [OptimizerHyperparameter.LearningRate, OptimizerHyperparameter.Momentum, OptimizerHyperparameter.WeightDecay],
            (parameters, s) => new Sgd(parameters, s.LearningRate, s.Momentum, weightDecay: s.WeightDecay)),
        new(OptimizerKind.Adagrad, "adagrad", "Adagrad, per-coordinate rates from the summed squared gradients",
            [
                OptimizerHyperparameter.LearningRate, OptimizerHyperparameter.LearningRateDecay, OptimizerHyperparameter.WeightDecay,
                OptimizerHyperparameter.InitialAccumulator, OptimizerHyperparameter.Epsilon,
            ],
            (parameters, s) => new Adagrad(parameters, s.LearningRate, s.LearningRateDecay, s.WeightDecay, s.InitialAccumulator, s.Epsilon))
        {
            Defaults = new() { LearningRate = 1e-2f, Epsilon = 1e-10f },
        },
        new(OptimizerKind.RmsProp, "rmsprop", "RMSprop, optionally centred and with momentum",
            [
                OptimizerHyperparameter.LearningRate, OptimizerHyperparameter.RmsPropAlpha, OptimizerHyperparameter.Epsilon,
                OptimizerHyperparameter.WeightDecay, OptimizerHyperparameter.Momentum, OptimizerHyperparameter.Centered,
            ],
            (parameters, s) => new RmsProp(parameters, s.LearningRate, s.RmsPropAlpha, s.Epsilon, s.WeightDecay, s.Momentum, s.Centered))
        {
            Defaults = new() { LearningRate = 1e-2f, Momentum = 0f },
        },
    ];

    /// <summary>Every schedule, in the order of <see cref="ScheduleKind"/>.</summary>
    public static IReadOnlyList<ScheduleEntry> Schedules { get; } =
    [
        new(ScheduleKind.Constant, "constant", "the base rate throughout", _ => null),
        new(ScheduleKind.Cosine, "cosine", "cosine annealing to 0 over the epochs", s => new Cosine(s.Epochs)),
        new(ScheduleKind.Step, "step", "× the decay factor every few epochs", s => new StepDecay(s.DecayEvery, s.DecayFactor)),
    ];

    /// <summary>The optimizer names, for help and messages: "adam, adamw, sgd, adagrad or rmsprop".</summary>
    public static string OptimizerNames => Join(Optimizers.Select(o => o.Name));

    /// <summary>The schedule names, for help and messages: "constant, cosine or step".</summary>
    public static string ScheduleNames => Join(Schedules.Select(s => s.Name));

    /// <summary>Help text listing each optimizer's name and description.</summary>
    public static string OptimizerHelp => string.Join("; ", Optimizers.Select(o => $"{o.Name}: {o.Description}"));

    /// <summary>Help text listing each schedule's name and description.</summary>
    public static string ScheduleHelp => string.Join("; ", Schedules.Select(s => $"{s.Name}: {s.Description}"));

    /// <summary>The row of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind is not in the table.</exception>
    public static OptimizerEntry Get(OptimizerKind kind) =>
        TryGet(kind, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown optimizer; expected {OptimizerNames}.");

    /// <summary>The row of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind is not in the table.</exception>
    public static ScheduleEntry Get(ScheduleKind kind) =>
        TryGet(kind, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown schedule; expected {ScheduleNames}.");

    /// <summary>Whether <paramref name="kind"/> is in the table.</summary>
    public static bool TryGet(OptimizerKind kind, out OptimizerEntry entry)
    {
        entry = Optimizers.FirstOrDefault(o => o.Kind == kind)!;
        return entry is not null;
    }

    /// <summary>Whether <paramref name="kind"/> is in the table.</summary>
    public static bool TryGet(ScheduleKind kind, out ScheduleEntry entry)
    {
        entry = Schedules.FirstOrDefault(s => s.Kind == kind)!;
        return entry is not null;
    }

    /// <summary>Whether an optimizer is named <paramref name="name"/> (case-insensitive), and which.</summary>
    public static bool TryParseOptimizer(string? name, out OptimizerKind kind)
    {
        var entry = Optimizers.FirstOrDefault(o => string.Equals(o.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        kind = entry?.Kind ?? default;
        return entry is not null;
    }

    /// <summary>Whether a schedule is named <paramref name="name"/> (case-insensitive), and which.</summary>
    public static bool TryParseSchedule(string? name, out ScheduleKind kind)
    {
        var entry = Schedules.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        kind = entry?.Kind ?? default;
        return entry is not null;
    }

    /// <summary>The optimizer named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No optimizer has that name; the message lists the names.</exception>
    public static OptimizerKind ParseOptimizer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParseOptimizer(name, out var kind) ? kind : throw new ArgumentException($"'{name}' is not an optimizer; expected {OptimizerNames}.", nameof(name));
    }

    /// <summary>The schedule named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No schedule has that name; the message lists the names.</exception>
    public static ScheduleKind ParseSchedule(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParseSchedule(name, out var kind) ? kind : throw new ArgumentException($"'{name}' is not a schedule; expected {ScheduleNames}.", nameof(name));
    }

    /// <summary>Builds the optimizer <paramref name="kind"/> over <paramref name="parameters"/>.</summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Autodiff.Var> parameters, OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        return Get(kind).Create(parameters, settings);
    }

    /// <summary>Builds the schedule <paramref name="kind"/>, or null for the constant base rate.</summary>
    public static ILearningRateSchedule? Create(ScheduleKind kind, ScheduleSettings settings) => Get(kind).Create(settings);

    private static string Join(IEnumerable<string> names)
    {
        string[] all = [.. names];
        return all.Length <= 1 ? string.Join(string.Empty, all) : $"{string.Join(", ", all[..^1])} or {all[^1]}";
    }
}
