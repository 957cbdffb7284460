using System.Diagnostics;
using Latent.Autodiff;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// Trains an autoencoder by mini-batch gradient descent: shuffled epochs, an optimizer and schedule, per-epoch
/// validation with early stopping and keeping the best parameters, a guard against NaN losses, and atomic
/// checkpoints from which <see cref="Resume"/> continues bitwise as if never interrupted.
/// </summary>
/// <remarks>
/// Two random streams drive a run, both seeded from <see cref="TrainerOptions.Seed"/> and both saved in
/// checkpoints: one shuffles the data each epoch, the other draws the model's training noise (posterior
/// samples, corruption). Validation uses a fresh stream per epoch, so validation losses are comparable.
/// </remarks>
public sealed class Trainer
{
    private const ulong ValidationSeed = 0x5EED_0F_7E57UL;

    private readonly ITrainingObserver? _observer;
    private bool _stopRequested;

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
    public TrainingResult Fit(Autoencoder model, Tensor train, Tensor? validation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var shuffle = new Rng(Options.Seed);
        var noise = shuffle.Split();
        var state = new RunState(model, CreateOptimizer(model), shuffle, noise, new TrainingHistory());
        return Run(state, train, validation);
    }

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    public TrainingResult Resume(string checkpointPath, Tensor train, Tensor? validation = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var checkpoint = Checkpoint.Load(checkpointPath);
        var optimizer = CreateOptimizer(checkpoint.Model);
        try
        {
            optimizer.LoadStateDict(checkpoint.OptimizerState);
        }
        catch (ArgumentException exception)
        {
            throw new Serialization.DataFormatException(checkpointPath, $"the optimizer state does not fit '{Options.Optimizer}': {exception.Message}", exception);
        }

        var shuffle = new Rng(1);
        shuffle.SetState(checkpoint.ShuffleState);
        var noise = new Rng(1);
        noise.SetState(checkpoint.NoiseState);
        var state = new RunState(checkpoint.Model, optimizer, shuffle, noise, checkpoint.History)
        {
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

    private TrainingResult Run(RunState state, Tensor train, Tensor? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        var model = state.Model;
        CheckData(train, model.Inputs, nameof(train));
        if (validation is not null)
        {
            CheckData(validation, model.Inputs, nameof(validation));
        }

        int n = train.Rows, inputs = model.Inputs;
        int stepsPerEpoch = (n + Options.BatchSize - 1) / Options.BatchSize;
        var schedule = CreateSchedule();
        var order = new int[n];
        using var tape = new Tape();
        _stopRequested = false;
        _observer?.TrainingStarted(state.FirstEpoch, Options.Epochs, stepsPerEpoch);
        string reason = "finished";
        bool stoppedEarly = false;
        for (int epoch = state.FirstEpoch; epoch <= Options.Epochs; epoch++)
        {
            float rate = schedule?.Rate(Options.LearningRate, epoch - 1) ?? Options.LearningRate;
            state.Optimizer.LearningRate = rate;
            model.Train();
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            state.Shuffle.Shuffle<int>(order);
            var sum = default(LossTerms);
            var clock = Stopwatch.StartNew();
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                int start = step * Options.BatchSize;
                int rows = Math.Min(Options.BatchSize, n - start);
                var batch = tape.Pool.Rent(rows, inputs);
                for (int r = 0; r < rows; r++)
                {
                    train.Row(order[start + r]).CopyTo(batch.Row(r));
                }

                var loss = model.Loss(tape, batch, state.Noise);
                if (!double.IsFinite(loss.Terms.Total))
                {
                    tape.Reset();
                    batch.Dispose();
                    throw new TrainingDivergedException(epoch, step + 1, loss.Terms.Total, state.LastCheckpoint);
                }

                state.Optimizer.ZeroGrad();
                tape.Backward(loss.Loss);
                if (Options.ClipNorm > 0)
                {
                    GradientClipping.ClipByGlobalNorm(state.Optimizer.Parameters, Options.ClipNorm);
                }

                state.Optimizer.Step();
                tape.Reset();
                batch.Dispose();
                sum += loss.Terms.Scale(rows);
                _observer?.StepCompleted(epoch, step + 1, loss.Terms);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            LossTerms? validationTerms = validation is null ? null : model.Evaluate(validation, new Rng(ValidationSeed));
            var record = new EpochRecord(epoch, sum.Scale(1.0 / n), validationTerms, rate, seconds);
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
            if (Options.CheckpointPath is not null && Options.CheckpointEvery > 0 && (epoch % Options.CheckpointEvery == 0 || last))
            {
                SaveCheckpoint(state, epoch);
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

    private void SaveCheckpoint(RunState state, int epoch)
    {
        new Checkpoint
        {
            Model = state.Model,
            OptimizerState = state.Optimizer.StateDict(),
            Best = state.Best,
            Epoch = epoch,
            ShuffleState = state.Shuffle.GetState(),
            NoiseState = state.Noise.GetState(),
            History = state.History,
            BestLoss = state.BestLoss,
            BestEpoch = state.BestEpoch,
            EpochsWithoutImprovement = state.Wait,
        }.Save(Options.CheckpointPath!);
        state.LastCheckpoint = Options.CheckpointPath;
    }

    private Optimizer CreateOptimizer(Autoencoder model)
    {
        var parameters = model.ParameterVars();
        return Options.Optimizer switch
        {
            "adam" => new Adam(parameters, Options.LearningRate, weightDecay: Options.WeightDecay),
            "adamw" => new AdamW(parameters, Options.LearningRate, weightDecay: Options.WeightDecay),
            _ => new Sgd(parameters, Options.LearningRate, Options.Momentum, weightDecay: Options.WeightDecay),
        };
    }

    private ILearningRateSchedule? CreateSchedule() => Options.Schedule switch
    {
        "cosine" => new Cosine(Options.Epochs),
        "step" => new StepDecay(Options.DecayEvery, Options.DecayFactor),
        _ => null,
    };

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

    private static void CheckData(Tensor data, int inputs, string name)
    {
        if (data.Columns != inputs)
        {
            throw new ArgumentException($"The {name} data have {data.Columns} features; the model takes {inputs}.", name);
        }

        if (data.Rows == 0)
        {
            throw new ArgumentException($"The {name} data are empty.", name);
        }
    }

    private sealed class RunState(Autoencoder model, Optimizer optimizer, Rng shuffle, Rng noise, TrainingHistory history)
    {
        public Autoencoder Model { get; } = model;

        public Optimizer Optimizer { get; } = optimizer;

        public Rng Shuffle { get; } = shuffle;

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
