using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Models;
using Latent.Optim;

namespace Latent.Training;

/// <summary>How a <see cref="Trainer"/> runs: epochs, batches, optimizer, schedule, stopping and checkpoints.</summary>
/// <remarks>
/// <para>
/// A checkpoint stores these options and the optimizer's kind and hyperparameters. <see cref="Trainer.Resume(string, Data.IFeatureSource, Data.IFeatureSource, AutoencoderOptions)"/>
/// refuses, naming each difference, when the options that define the optimisation differ from the
/// checkpoint's: <see cref="Optimizer"/> and the hyperparameters that optimizer reads (as listed by
/// <see cref="OptimizerRegistry"/>: <see cref="LearningRate"/> and <see cref="WeightDecay"/> for all;
/// <see cref="Momentum"/> for sgd; <see cref="Beta1"/>, <see cref="Beta2"/>, <see cref="Epsilon"/> for adam and
/// adamw; <see cref="LearningRateDecay"/>, <see cref="InitialAccumulator"/>, <see cref="Epsilon"/> for adagrad;
/// <see cref="RmsPropAlpha"/>, <see cref="Epsilon"/>, <see cref="Momentum"/>, <see cref="Centered"/> for rmsprop),
/// <see cref="BatchSize"/>, <see cref="Seed"/> and <see cref="ClipNorm"/>. The values compared are the resolved
/// ones, so leaving <see cref="LearningRate"/> unset and setting it to the optimizer's default are the same run.
/// </para>
/// <para>
/// <see cref="LearningRate"/>, <see cref="Momentum"/> and <see cref="Epsilon"/> are shared by optimizers whose
/// PyTorch defaults differ; left null, each takes the chosen optimizer's default
/// (<see cref="OptimizerEntry.Defaults"/>): learning rate 10⁻³ for adam, adamw and sgd, 10⁻² for adagrad and
/// rmsprop; momentum 0.9 for sgd, 0 for rmsprop; ε 10⁻⁸, 10⁻¹⁰ for adagrad.
/// </para>
/// <para>
/// These may change on resume: <see cref="Epochs"/> (to train longer), <see cref="Patience"/>,
/// <see cref="KeepBest"/>, <see cref="CheckpointEvery"/>, <see cref="CheckpointPath"/>, and the schedule
/// (<see cref="Schedule"/>, <see cref="DecayEvery"/>, <see cref="DecayFactor"/>: a schedule is a function of
/// the epoch, so the resumed run simply follows the new one from its next epoch).
/// </para>
/// </remarks>
public sealed record TrainerOptions
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Passes over the training data. May change on resume.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Items per mini-batch (the last batch of an epoch may be smaller). Fixed on resume.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The base learning rate, or null for the optimizer's default. Fixed on resume.</summary>
    public float? LearningRate { get; init; }

    /// <summary>
    /// An adversarial run's discriminator learning rate (its generator takes <see cref="LearningRate"/>), or null for the
    /// same as the generator's. Autoencoders have no discriminator and ignore it. Fixed on resume.
    /// </summary>
    public float? DiscriminatorLearningRate { get; init; }

    /// <summary>The optimizer (see <see cref="OptimizerRegistry"/>). Fixed on resume.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Weight decay (L2 for adam and sgd, decoupled for adamw). Fixed on resume.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Momentum of sgd and rmsprop, or null for the optimizer's default (0.9 for sgd, 0 for rmsprop). Fixed on resume when the optimizer reads it.</summary>
    public float? Momentum { get; init; }

    /// <summary>Adam's and AdamW's β₁. Fixed on resume when the optimizer is adam or adamw.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Adam's and AdamW's β₂. Fixed on resume when the optimizer is adam or adamw.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>ε of adam, adamw, adagrad and rmsprop, or null for the optimizer's default (10⁻¹⁰ for adagrad, else 10⁻⁸). Fixed on resume when the optimizer reads it.</summary>
    public float? Epsilon { get; init; }

    /// <summary>Adagrad's learning-rate decay δ: η_t = η / (1 + (t − 1)δ). Fixed on resume when the optimizer is adagrad.</summary>
    public float LearningRateDecay { get; init; }

    /// <summary>The value Adagrad's accumulator starts from. Fixed on resume when the optimizer is adagrad.</summary>
    public float InitialAccumulator { get; init; }

    /// <summary>RMSprop's decay α of the mean square. Fixed on resume when the optimizer is rmsprop.</summary>
    public float RmsPropAlpha { get; init; } = 0.99f;

    /// <summary>Whether RMSprop is centred. Fixed on resume when the optimizer is rmsprop.</summary>
    public bool Centered { get; init; }

    /// <summary>The per-epoch learning-rate schedule (see <see cref="OptimizerRegistry"/>). May change on resume.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>Epochs between decays of the step schedule. May change on resume.</summary>
    public int DecayEvery { get; init; } = 10;

    /// <summary>Factor of the step schedule. May change on resume.</summary>
    public float DecayFactor { get; init; } = 0.1f;

    /// <summary>Clip the gradients' global norm to this (0 for no clipping). Fixed on resume.</summary>
    public float ClipNorm { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss (0 never stops early). May change on resume.</summary>
    public int Patience { get; init; }

    /// <summary>Restore the parameters of the epoch with the best validation loss at the end. May change on resume.</summary>
    public bool KeepBest { get; init; } = true;

    /// <summary>Write a checkpoint every this many epochs (0 for none) to <see cref="CheckpointPath"/>. May change on resume.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Where checkpoints go, or null for none. May change on resume.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Record after every epoch, as the history's metric <see cref="EpochRecord.PcaAngleMetric"/> ("pca_angle"),
    /// the largest principal angle in degrees between the decoder's subspace and the top-k principal subspace of
    /// the training data, k the code size (<see cref="LinearDecoder"/>; PCA by a full eigendecomposition, fitted
    /// once when training starts). The model's decoder must be linear (preset linear-ae). May change on resume.
    /// </summary>
    public bool PcaAngle { get; init; }

    /// <summary>Seed of the shuffling and of the training noise. Fixed on resume.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The optimizer's hyperparameters, as the <see cref="OptimizerRegistry"/> factories read them: the unset
    /// ones are the chosen optimizer's defaults.
    /// </summary>
    [JsonIgnore]
    public OptimizerSettings OptimizerSettings
    {
        get
        {
            var defaults = OptimizerRegistry.TryGet(Optimizer, out var entry) ? entry.Defaults : new OptimizerSettings();
            return defaults with
            {
                LearningRate = LearningRate ?? defaults.LearningRate,
                WeightDecay = WeightDecay,
                Momentum = Momentum ?? defaults.Momentum,
                Beta1 = Beta1,
                Beta2 = Beta2,
                Epsilon = Epsilon ?? defaults.Epsilon,
                LearningRateDecay = LearningRateDecay,
                InitialAccumulator = InitialAccumulator,
                RmsPropAlpha = RmsPropAlpha,
                Centered = Centered,
            };
        }
    }

    /// <summary>The schedule's settings, as the <see cref="OptimizerRegistry"/> factories read them.</summary>
    [JsonIgnore]
    public ScheduleSettings ScheduleSettings => new(Epochs, DecayEvery, DecayFactor);

    /// <summary>Checks every value and returns these options, or throws naming the bad one.</summary>
    public TrainerOptions Validate()
    {
        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Check(LearningRate is null || (LearningRate > 0 && float.IsFinite(LearningRate.Value)), nameof(LearningRate), LearningRate!, "positive");
        Check(DiscriminatorLearningRate is null || (DiscriminatorLearningRate > 0 && float.IsFinite(DiscriminatorLearningRate.Value)), nameof(DiscriminatorLearningRate), DiscriminatorLearningRate!, "positive");
        Check(OptimizerRegistry.TryGet(Optimizer, out _), nameof(Optimizer), Optimizer, OptimizerRegistry.OptimizerNames);
        Check(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "0 or more");
        Check(Momentum is null or (>= 0 and < 1), nameof(Momentum), Momentum!, "in [0, 1)");
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "in [0, 1)");
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "in [0, 1)");
        Check(Epsilon is null || (Epsilon >= 0 && float.IsFinite(Epsilon.Value)), nameof(Epsilon), Epsilon!, "0 or more");
        Check(LearningRateDecay >= 0 && float.IsFinite(LearningRateDecay), nameof(LearningRateDecay), LearningRateDecay, "0 or more");
        Check(InitialAccumulator >= 0 && float.IsFinite(InitialAccumulator), nameof(InitialAccumulator), InitialAccumulator, "0 or more");
        Check(RmsPropAlpha is >= 0 and < 1, nameof(RmsPropAlpha), RmsPropAlpha, "in [0, 1)");
        Check(OptimizerRegistry.TryGet(Schedule, out _), nameof(Schedule), Schedule, OptimizerRegistry.ScheduleNames);
        Check(DecayEvery >= 1, nameof(DecayEvery), DecayEvery, "at least 1");
        Check(DecayFactor > 0 && float.IsFinite(DecayFactor), nameof(DecayFactor), DecayFactor, "positive");
        Check(ClipNorm >= 0 && float.IsFinite(ClipNorm), nameof(ClipNorm), ClipNorm, "0 or more");
        Check(Patience >= 0, nameof(Patience), Patience, "0 or more");
        Check(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "0 or more");
        return this;
    }

    /// <summary>The options as JSON (stored in checkpoints); enums in kebab case ("adamw", "cosine").</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Options from <see cref="ToJson"/>, checked.</summary>
    /// <exception cref="FormatException">The JSON is malformed or names an unknown value.</exception>
    public static TrainerOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var options = JsonSerializer.Deserialize<TrainerOptions>(json, s_json) ?? throw new FormatException("the trainer options are null");
            return options.Validate();
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            throw new FormatException($"the trainer options are malformed: {exception.Message}", exception);
        }
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"Trainer option {name} is {value}; expected {expected}.", name);
        }
    }
}
