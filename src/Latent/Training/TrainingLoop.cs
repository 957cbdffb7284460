using System.Diagnostics;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// The training machinery <see cref="Trainer"/> and <see cref="AdversarialTrainer"/> share: shuffled epochs, the
/// schedule, per-epoch validation with early stopping and keeping the best parameters, the NaN and explosion guards,
/// atomic checkpoints, and resuming from one bitwise as if never interrupted.
/// </summary>
internal sealed class TrainingLoop(TrainerOptions options, ITrainingObserver? observer)
{
    private const ulong ValidationSeed = 0x5EED_0F_7E57UL;

    public bool StopRequested { get; set; }

    /// <summary>Trains <paramref name="target"/> from its initial state.</summary>
    public (TrainingHistory History, int BestEpoch, bool StoppedEarly) Fit(TrainingTarget target, IFeatureSource train, IFeatureSource? validation) =>
        Run(new RunState(target, new Rng(options.Seed), new TrainingHistory(target.TermNames)), train, validation);

    /// <summary>Continues <paramref name="checkpoint"/>'s run with <paramref name="target"/>, built on the checkpoint's model.</summary>
    public (TrainingHistory History, int BestEpoch, bool StoppedEarly) Resume(TrainingTarget target, Checkpoint checkpoint, string checkpointPath, IFeatureSource train, IFeatureSource? validation)
    {
        foreach (var entry in target.Optimizers)
        {
            var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach ((string name, Tensor value) in checkpoint.OptimizerState)
            {
                if (name.StartsWith(entry.Prefix, StringComparison.Ordinal))
                {
                    state[name[entry.Prefix.Length..]] = value;
                }
            }

            try
            {
                entry.Optimizer.LoadStateDict(state);
            }
            catch (ArgumentException exception)
            {
                throw new Serialization.DataFormatException(checkpointPath, $"the {entry.Prefix}optimizer state does not fit '{OptimizerRegistry.Get(options.Optimizer).Name}': {exception.Message}", exception);
            }
        }

        var noise = new Rng(1);
        noise.SetState(checkpoint.NoiseState);
        var run = new RunState(target, noise, checkpoint.History)
        {
            BatcherState = checkpoint.BatcherState,
            FirstEpoch = checkpoint.Epoch + 1,
            BestLoss = checkpoint.BestLoss,
            BestEpoch = checkpoint.BestEpoch,
            Wait = checkpoint.EpochsWithoutImprovement,
        };
        if (checkpoint.Best is not null)
        {
            run.Best = Snapshot(target, null);
            foreach ((string name, Tensor value) in checkpoint.Best)
            {
                if (!run.Best.TryGetValue(name, out var copy) || !copy.SameShape(value))
                {
                    throw new Serialization.DataFormatException(checkpointPath, $"best parameter '{name}' does not fit the model.");
                }

                copy.CopyFrom(value);
            }
        }

        return Run(run, train, validation);
    }

    private (TrainingHistory History, int BestEpoch, bool StoppedEarly) Run(RunState state, IFeatureSource train, IFeatureSource? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        var target = state.Target;
        var model = target.Model;
        CheckData(train, target.Inputs, nameof(train));
        if (validation is not null)
        {
            CheckData(validation, target.Inputs, nameof(validation));
        }

        int n = train.Count;
        var schedule = OptimizerRegistry.Create(options.Schedule, options.ScheduleSettings);
        using var tape = new Tape();

        // The batcher's order stream is the one the trainer has always shuffled with: Rng(seed) after one
        // split, the split-off child being the noise stream (Rng(seed) itself).
        using var batcher = new Batcher(train, new BatchOptions { BatchSize = options.BatchSize }, options.Seed, tape.Pool);
        if (state.BatcherState is { } saved)
        {
            batcher.SetState(saved);
        }

        int stepsPerEpoch = batcher.BatchesPerEpoch;
        StopRequested = false;
        observer?.TrainingStarted(state.FirstEpoch, options.Epochs, stepsPerEpoch);
        string reason = "finished";
        bool stoppedEarly = false;

        // The explosion guard compares losses with the best so far: an epoch's mean more than an order of magnitude
        // above the best epoch's, or one batch three orders above the best batch's (a resumed run starts from its
        // history). Losses are sums over the item's features, so the features' count sets the smallest scale.
        double bestEpoch = state.History.Epochs.Count == 0 ? double.PositiveInfinity : state.History.Epochs.Min(e => e.Train.Total);
        var step = new TrainingStep(tape, state.Noise, options.ClipNorm, target.LossScale, target.GuardsExplosion) { BestBatch = bestEpoch, LastCheckpoint = state.LastCheckpoint };
        for (int epoch = state.FirstEpoch; epoch <= options.Epochs; epoch++)
        {
            float rate = 0;
            foreach (var entry in target.Optimizers)
            {
                entry.Optimizer.LearningRate = schedule?.Rate(entry.BaseRate, epoch - 1) ?? entry.BaseRate;
                rate = rate == 0 ? entry.Optimizer.LearningRate : rate;
            }

            model.Train();
            var sum = default(LossTerms);
            var clock = Stopwatch.StartNew();
            step.Epoch = epoch;
            step.Rate = rate;
            foreach (var batch in batcher.NextEpoch())
            {
                step.Number = batch.Number;
                var terms = target.Step(step, batch.Features);
                tape.Reset();
                sum += terms.Scale(batch.Size);
                observer?.StepCompleted(epoch, batch.Number + 1, terms);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            LossTerms? validationTerms = validation is null ? null : target.Validate(validation, new Rng(ValidationSeed));
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            target.EndEpoch(metrics);
            var record = new EpochRecord(epoch, sum.Scale(1.0 / n), validationTerms, rate, seconds, metrics.Count == 0 ? null : metrics);
            if (target.GuardsExplosion && Trainer.Exploded(record.Train.Total, bestEpoch, target.LossScale, Trainer.EpochExplosion))
            {
                throw new TrainingDivergedException(epoch, stepsPerEpoch, record.Train.Total, bestEpoch, rate, state.LastCheckpoint);
            }

            bestEpoch = Math.Min(bestEpoch, record.Train.Total);
            state.History.Add(record);
            if (validationTerms is { } v)
            {
                if (v.Total < state.BestLoss)
                {
                    state.BestLoss = v.Total;
                    state.BestEpoch = epoch;
                    state.Wait = 0;
                    if (options.KeepBest)
                    {
                        state.Best = Snapshot(target, state.Best);
                    }
                }
                else
                {
                    state.Wait++;
                }
            }

            bool last = epoch == options.Epochs || (options.Patience > 0 && state.Wait >= options.Patience) || StopRequested;
            // A gradient that was NaN or infinite leaves its mark in the weights while the loss of that step was
            // finite: refuse to checkpoint such a model, so the last checkpoint stays a good one.
            if (model.Parameters().FirstOrDefault(p => FiniteValues.FirstNonFinite(p.Parameter.Value.Span) is not null) is { Name: { } broken })
            {
                throw new TrainingDivergedException(epoch, broken, rate, state.LastCheckpoint);
            }

            if (options.CheckpointPath is not null && options.CheckpointEvery > 0 && (epoch % options.CheckpointEvery == 0 || last))
            {
                SaveCheckpoint(state, batcher, epoch);
                step.LastCheckpoint = state.LastCheckpoint;
            }

            observer?.EpochCompleted(record);
            if (options.Patience > 0 && state.Wait >= options.Patience && epoch < options.Epochs)
            {
                stoppedEarly = true;
                reason = $"stopped early: no better validation loss for {options.Patience} epochs";
                break;
            }

            if (StopRequested)
            {
                reason = "stopped on request";
                break;
            }
        }

        if (options.KeepBest && state.Best is not null)
        {
            model.LoadStateDict(state.Best);
        }

        model.Eval();
        observer?.TrainingEnded(state.History, reason);
        return (state.History, state.BestEpoch, stoppedEarly);
    }

    private void SaveCheckpoint(RunState state, Batcher batcher, int epoch)
    {
        var optimizerState = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in state.Target.Optimizers)
        {
            foreach ((string name, Tensor value) in entry.Optimizer.StateDict())
            {
                optimizerState[entry.Prefix + name] = value;
            }
        }

        new Checkpoint
        {
            Model = state.Target.Model,
            ModelMetadata = state.Target.Metadata,
            OptimizerState = optimizerState,
            Best = state.Best,
            Epoch = epoch,
            BatcherState = batcher.GetState(),
            Options = options,
            OptimizerKind = options.Optimizer,
            OptimizerHyperparameters = OptimizerRegistry.Get(options.Optimizer).Values(options.OptimizerSettings),
            NoiseState = state.Noise.GetState(),
            History = state.History,
            BestLoss = state.BestLoss,
            BestEpoch = state.BestEpoch,
            EpochsWithoutImprovement = state.Wait,
        }.Save(options.CheckpointPath!);
        state.LastCheckpoint = options.CheckpointPath;
    }

    // Refuses to continue a run with options that would change its optimisation, naming each difference in one line.
    // The model's differences come from the caller (the model's options differ by kind); the seed is the trainer's
    // too, compared here.
    public static void CheckResumable(TrainerOptions options, Checkpoint checkpoint, string path, IReadOnlyList<OptionDifference> modelDifferences)
    {
        var saved = new List<string>();
        var asked = new List<string>();
        foreach (var difference in modelDifferences)
        {
            saved.Add(difference.Before);
            asked.Add(difference.After);
        }

        var entry = OptimizerRegistry.Get(options.Optimizer);
        var values = entry.Values(options.OptimizerSettings);
        if (checkpoint.OptimizerKind is { } savedKind && checkpoint.OptimizerHyperparameters is { } savedValues)
        {
            var savedEntry = OptimizerRegistry.Get(savedKind);
            if (savedKind != options.Optimizer)
            {
                string savedDescription = $"{savedEntry.Name} ({string.Join(", ", savedEntry.Hyperparameters.Where(h => savedValues.ContainsKey(h.Key)).Select(h => h.Format(savedValues[h.Key])))})";
                saved.Add($"optimizer {savedDescription}");
                asked.Add(entry.Describe(options.OptimizerSettings));
            }
            else
            {
                foreach (var hyperparameter in entry.Hyperparameters)
                {
                    if (savedValues.TryGetValue(hyperparameter.Key, out float before) && !before.Equals(values[hyperparameter.Key]))
                    {
                        // "adam lr 0.001 and beta1 0.9": the optimizer named once, before its first difference.
                        saved.Add(saved.Count == 0 ? $"{entry.Name} {hyperparameter.Format(before)}" : hyperparameter.Format(before));
                        asked.Add(hyperparameter.Format(values[hyperparameter.Key]));
                    }
                }
            }
        }

        if (checkpoint.Options is { } savedOptions)
        {
            Compare("batch size", savedOptions.BatchSize, options.BatchSize);
            Compare("seed", savedOptions.Seed, options.Seed);
            Compare("clip norm", savedOptions.ClipNorm, options.ClipNorm);
            Compare("discriminator lr", RateText(savedOptions.DiscriminatorLearningRate), RateText(options.DiscriminatorLearningRate));
        }

        if (saved.Count > 0)
        {
            throw new InvalidOperationException(
                $"{path}: cannot resume: the checkpoint was trained with {string.Join(" and ", saved)}; this run asks for {string.Join(" and ", asked)}. " +
                "Only epochs, patience, keep-best, checkpointing and the schedule may change on resume.");
        }

        void Compare<T>(string what, T before, T now)
            where T : IEquatable<T>
        {
            if (!before.Equals(now))
            {
                saved.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} {before}"));
                asked.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} {now}"));
            }
        }
    }

    private static string RateText(float? rate) => rate?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "(the generator's)";

    private static Dictionary<string, Tensor> Snapshot(TrainingTarget target, Dictionary<string, Tensor>? into)
    {
        into ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in target.Model.StateDict())
        {
            if (into.TryGetValue(name, out var copy))
            {
                copy.CopyFrom(value);
            }
            else
            {
                into[name] = value.Clone();
            }
        }

        return into;
    }

    private static void CheckData(IFeatureSource data, int inputs, string name)
    {
        if (data.Dimension != inputs)
        {
            throw new ArgumentException($"The {name} data ('{data.Name}') have {data.Dimension} features; the model takes {inputs}.", name);
        }

        if (data.Count == 0)
        {
            throw new ArgumentException($"The {name} data ('{data.Name}') are empty.", name);
        }
    }

    private sealed class RunState(TrainingTarget target, Rng noise, TrainingHistory history)
    {
        public TrainingTarget Target { get; } = target;

        /// <summary>The batcher's state to restore (from a checkpoint), or null to start from the seed.</summary>
        public ulong[]? BatcherState { get; init; }

        public Rng Noise { get; } = noise;

        public TrainingHistory History { get; } = history;

        public int FirstEpoch { get; init; } = 1;

        public double BestLoss { get; set; } = double.PositiveInfinity;

        public int BestEpoch { get; set; }

        public int Wait { get; set; }

        public Dictionary<string, Tensor>? Best { get; set; }

        public string? LastCheckpoint { get; set; }
    }
}
