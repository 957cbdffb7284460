using System.Diagnostics;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// Trains an autoencoder by mini-batch gradient descent: shuffled epochs, an optimizer and schedule, per-epoch
/// validation with early stopping and keeping the best parameters, a guard against NaN losses, and atomic
/// checkpoints from which <see cref="Resume(string, IFeatureSource, IFeatureSource, AutoencoderOptions)"/> continues bitwise as if never interrupted.
/// </summary>
/// <remarks>
/// <para>
/// The data are any <see cref="IFeatureSource"/> (in memory or memory-mapped), read through one shuffling
/// <see cref="Batcher"/>; the same items give the same model bitwise, wherever they come from.
/// </para>
/// <para>
/// Two random streams drive a run, both seeded from <see cref="TrainerOptions.Seed"/> and both saved in
/// checkpoints: the batcher's, which orders each epoch, and the one that draws the model's training noise
/// (posterior samples, corruption). Validation uses a fresh stream per epoch, so validation losses are
/// comparable. A checkpoint also records the options; <see cref="Resume(string, IFeatureSource, IFeatureSource, AutoencoderOptions)"/>
/// refuses options that would change the optimisation (see <see cref="TrainerOptions"/>).
/// </para>
/// </remarks>
public sealed class Trainer
{
    private const ulong ValidationSeed = 0x5EED_0F_7E57UL;

    private readonly ITrainingObserver? _observer;
    private bool _stopRequested;

    /// <summary>A trainer with <paramref name="options"/> (checked here: a bad value throws <see cref="ArgumentException"/>), reporting to <paramref name="observer"/> if given.</summary>
    public Trainer(TrainerOptions options, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _observer = observer;
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Asks the run to stop after the current epoch (for a callback).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> [n, inputs], validating on <paramref name="validation"/> if given.</summary>
    public TrainingResult Fit(Autoencoder model, Tensor train, Tensor? validation = null) =>
        Fit(model, Source(train, nameof(train)), validation is null ? null : Source(validation, nameof(validation)));

    /// <summary>Trains <paramref name="model"/> on the items of <paramref name="train"/>, validating on <paramref name="validation"/> if given.</summary>
    public TrainingResult Fit(Autoencoder model, IFeatureSource train, IFeatureSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var state = new RunState(model, CreateOptimizer(model), new Rng(Options.Seed), new TrainingHistory());
        return Run(state, train, validation);
    }

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="train">The training data, the same as the run's.</param>
    /// <param name="validation">The validation data, the same as the run's, or null.</param>
    /// <param name="model">The model the caller means to continue, checked against the checkpoint's; null to take the checkpoint's as it is.</param>
    public TrainingResult Resume(string checkpointPath, Tensor train, Tensor? validation = null, AutoencoderOptions? model = null) =>
        Resume(checkpointPath, Source(train, nameof(train)), validation is null ? null : Source(validation, nameof(validation)), model);

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="train">The training data, the same as the run's.</param>
    /// <param name="validation">The validation data, the same as the run's, or null.</param>
    /// <param name="model">The model the caller means to continue, checked against the checkpoint's; null to take the checkpoint's as it is.</param>
    /// <exception cref="InvalidOperationException">
    /// These options differ from the checkpoint's in one that defines the optimisation (the optimizer, its
    /// hyperparameters, the batch size, the seed, the clipping), or <paramref name="model"/> differs from the
    /// checkpoint's model in any option; the message names each difference.
    /// </exception>
    public TrainingResult Resume(string checkpointPath, IFeatureSource train, IFeatureSource? validation = null, AutoencoderOptions? model = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var checkpoint = Checkpoint.Load(checkpointPath);
        CheckResumable(checkpoint, checkpointPath, model);
        var optimizer = CreateOptimizer(checkpoint.Model);
        try
        {
            optimizer.LoadStateDict(checkpoint.OptimizerState);
        }
        catch (ArgumentException exception)
        {
            throw new Serialization.DataFormatException(checkpointPath, $"the optimizer state does not fit '{OptimizerRegistry.Get(Options.Optimizer).Name}': {exception.Message}", exception);
        }

        var noise = new Rng(1);
        noise.SetState(checkpoint.NoiseState);
        var state = new RunState(checkpoint.Model, optimizer, noise, checkpoint.History)
        {
            BatcherState = checkpoint.BatcherState,
            FirstEpoch = checkpoint.Epoch + 1,
            BestLoss = checkpoint.BestLoss,
            BestEpoch = checkpoint.BestEpoch,
            Wait = checkpoint.EpochsWithoutImprovement,
        };
        if (checkpoint.Best is not null)
        {
            state.Best = Snapshot(checkpoint.Model, null);
            foreach ((string name, Tensor value) in checkpoint.Best)
            {
                if (!state.Best.TryGetValue(name, out var target) || !target.SameShape(value))
                {
                    throw new Serialization.DataFormatException(checkpointPath, $"best parameter '{name}' does not fit the model.");
                }

                target.CopyFrom(value);
            }
        }

        return Run(state, train, validation);
    }

    private TrainingResult Run(RunState state, IFeatureSource train, IFeatureSource? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        var model = state.Model;
        CheckData(train, model.Inputs, nameof(train));
        if (validation is not null)
        {
            CheckData(validation, model.Inputs, nameof(validation));
        }

        int n = train.Count;
        var schedule = OptimizerRegistry.Create(Options.Schedule, Options.ScheduleSettings);
        float baseRate = Options.OptimizerSettings.LearningRate;
        using var tape = new Tape();

        // The batcher's order stream is the one the trainer has always shuffled with: Rng(seed) after one
        // split, the split-off child being the noise stream (Rng(seed) itself).
        using var batcher = new Batcher(train, new BatchOptions { BatchSize = Options.BatchSize }, Options.Seed, tape.Pool);
        if (state.BatcherState is { } saved)
        {
            batcher.SetState(saved);
        }

        Classical.PcaModel? pcaReference = null;
        if (Options.PcaAngle)
        {
            if (!LinearDecoder.IsLinear(model))
            {
                throw new ArgumentException($"Trainer option {nameof(TrainerOptions.PcaAngle)} measures a linear decoder's subspace; this '{model.Options.Preset}' model's decoder is not linear (use preset linear-ae).", nameof(TrainerOptions.PcaAngle));
            }

            pcaReference = LinearDecoder.ReferencePca(train, model.Latent);
        }

        int stepsPerEpoch = batcher.BatchesPerEpoch;
        _stopRequested = false;
        _observer?.TrainingStarted(state.FirstEpoch, Options.Epochs, stepsPerEpoch);
        string reason = "finished";
        bool stoppedEarly = false;

        // The explosion guard compares losses with the best so far: an epoch's mean more than an order of magnitude
        // above the best epoch's, or one batch three orders above the best batch's (a resumed run starts from its
        // history). Losses are sums over the item's features, so the features' count sets the smallest scale.
        double bestEpoch = state.History.Epochs.Count == 0 ? double.PositiveInfinity : state.History.Epochs.Min(e => e.Train.Total);
        double bestBatch = bestEpoch;
        int features = model.Options.Inputs;
        for (int epoch = state.FirstEpoch; epoch <= Options.Epochs; epoch++)
        {
            float rate = schedule?.Rate(baseRate, epoch - 1) ?? baseRate;
            state.Optimizer.LearningRate = rate;
            model.Train();
            var sum = default(LossTerms);
            var clock = Stopwatch.StartNew();
            foreach (var batch in batcher.NextEpoch())
            {
                int step = batch.Number;
                var loss = model.Loss(tape, batch.Features, state.Noise);
                if (!double.IsFinite(loss.Terms.Total))
                {
                    tape.Reset();
                    throw new TrainingDivergedException(epoch, step + 1, loss.Terms.Total, state.LastCheckpoint);
                }

                if (Exploded(loss.Terms.Total, bestBatch, features, BatchExplosion))
                {
                    tape.Reset();
                    throw new TrainingDivergedException(epoch, step + 1, loss.Terms.Total, bestBatch, rate, state.LastCheckpoint);
                }

                bestBatch = Math.Min(bestBatch, loss.Terms.Total);

                state.Optimizer.ZeroGrad();
                tape.Backward(loss.Loss);
                if (Options.ClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(state.Optimizer.Parameters, Options.ClipNorm);
                }

                state.Optimizer.Step();
                tape.Reset();
                sum += loss.Terms.Scale(batch.Size);
                _observer?.StepCompleted(epoch, step + 1, loss.Terms);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            LossTerms? validationTerms = validation is null ? null : model.Evaluate(validation, new Rng(ValidationSeed));
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (pcaReference is not null)
            {
                metrics[EpochRecord.PcaAngleMetric] = LinearDecoder.LargestAngleToPca(model, pcaReference);
            }

            if (model.Likelihood is LearnedGaussianLikelihood learned)
            {
                metrics[EpochRecord.SigmaMetric] = learned.Sigma;
            }

            var record = new EpochRecord(epoch, sum.Scale(1.0 / n), validationTerms, rate, seconds, metrics.Count == 0 ? null : metrics);
            if (Exploded(record.Train.Total, bestEpoch, features, EpochExplosion))
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
                    if (Options.KeepBest)
                    {
                        state.Best = Snapshot(model, state.Best);
                    }
                }
                else
                {
                    state.Wait++;
                }
            }

            bool last = epoch == Options.Epochs || (Options.Patience > 0 && state.Wait >= Options.Patience) || _stopRequested;
            // A gradient that was NaN or infinite leaves its mark in the weights while the loss of that step was
            // finite: refuse to checkpoint such a model, so the last checkpoint stays a good one.
            if (model.Parameters().FirstOrDefault(p => FiniteValues.FirstNonFinite(p.Parameter.Value.Span) is not null) is { Name: { } broken })
            {
                throw new TrainingDivergedException(epoch, broken, rate, state.LastCheckpoint);
            }

            if (Options.CheckpointPath is not null && Options.CheckpointEvery > 0 && (epoch % Options.CheckpointEvery == 0 || last))
            {
                SaveCheckpoint(state, batcher, epoch);
            }

            _observer?.EpochCompleted(record);
            if (Options.Patience > 0 && state.Wait >= Options.Patience && epoch < Options.Epochs)
            {
                stoppedEarly = true;
                reason = $"stopped early: no better validation loss for {Options.Patience} epochs";
                break;
            }

            if (_stopRequested)
            {
                reason = "stopped on request";
                break;
            }
        }

        if (Options.KeepBest && state.Best is not null)
        {
            model.LoadStateDict(state.Best);
        }

        model.Eval();
        _observer?.TrainingEnded(state.History, reason);
        return new TrainingResult(model, state.History, state.BestEpoch, stoppedEarly);
    }

    private void SaveCheckpoint(RunState state, Batcher batcher, int epoch)
    {
        new Checkpoint
        {
            Model = state.Model,
            OptimizerState = state.Optimizer.StateDict(),
            Best = state.Best,
            Epoch = epoch,
            BatcherState = batcher.GetState(),
            Options = Options,
            OptimizerKind = Options.Optimizer,
            OptimizerHyperparameters = OptimizerRegistry.Get(Options.Optimizer).Values(Options.OptimizerSettings),
            NoiseState = state.Noise.GetState(),
            History = state.History,
            BestLoss = state.BestLoss,
            BestEpoch = state.BestEpoch,
            EpochsWithoutImprovement = state.Wait,
        }.Save(Options.CheckpointPath!);
        state.LastCheckpoint = Options.CheckpointPath;
    }

    private Optimizer CreateOptimizer(Autoencoder model) =>
        OptimizerRegistry.Create(Options.Optimizer, model.ParameterVars(), Options.OptimizerSettings);

    // Refuses to continue a run with options that would change its optimisation, naming each difference in one line.
    private void CheckResumable(Checkpoint checkpoint, string path, AutoencoderOptions? model)
    {
        var saved = new List<string>();
        var asked = new List<string>();
        if (model is not null)
        {
            // The seed is the trainer's too, compared below; everything else defines the model.
            foreach (var difference in OptionDifferences.Between(checkpoint.Model.Options with { Seed = model.Seed }, model))
            {
                saved.Add(difference.Before);
                asked.Add(difference.After);
            }
        }

        var entry = OptimizerRegistry.Get(Options.Optimizer);
        var values = entry.Values(Options.OptimizerSettings);
        if (checkpoint.OptimizerKind is { } savedKind && checkpoint.OptimizerHyperparameters is { } savedValues)
        {
            var savedEntry = OptimizerRegistry.Get(savedKind);
            if (savedKind != Options.Optimizer)
            {
                string savedDescription = $"{savedEntry.Name} ({string.Join(", ", savedEntry.Hyperparameters.Where(h => savedValues.ContainsKey(h.Key)).Select(h => h.Format(savedValues[h.Key])))})";
                saved.Add($"optimizer {savedDescription}");
                asked.Add(entry.Describe(Options.OptimizerSettings));
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

        if (checkpoint.Options is { } options)
        {
            Compare("batch size", options.BatchSize, Options.BatchSize);
            Compare("seed", options.Seed, Options.Seed);
            Compare("clip norm", options.ClipNorm, Options.ClipNorm);
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

    private static Dictionary<string, Tensor> Snapshot(Autoencoder model, Dictionary<string, Tensor>? into)
    {
        into ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in model.StateDict())
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

    private static TensorSource Source(Tensor data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return new TensorSource(data, name);
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

    /// <summary>How far above the best epoch's mean loss an epoch's mean may go: an order of magnitude.</summary>
    internal const double EpochExplosion = 9;

    /// <summary>How far above the best batch loss one batch may go: three orders of magnitude (batches are noisy).</summary>
    internal const double BatchExplosion = 999;

    /// <summary>
    /// Whether a loss of <paramref name="loss"/> is an explosion against <paramref name="best"/>: above
    /// best + factor·max(|best|, scale), i.e. (factor + 1)× the best for losses above the scale. The scale (the
    /// item's feature count: a loss sums over them) keeps losses near zero or negative, as a learned σ's can be,
    /// from tripping the guard on ordinary noise.
    /// </summary>
    internal static bool Exploded(double loss, double best, double scale, double factor) =>
        double.IsFinite(best) && loss > best + (factor * Math.Max(Math.Abs(best), scale));

    private sealed class RunState(Autoencoder model, Optimizer optimizer, Rng noise, TrainingHistory history)
    {
        public Autoencoder Model { get; } = model;

        public Optimizer Optimizer { get; } = optimizer;

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
