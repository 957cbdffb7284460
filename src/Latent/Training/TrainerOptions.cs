namespace Latent.Training;

/// <summary>How a <see cref="Trainer"/> runs: epochs, batches, optimizer, schedule, stopping and checkpoints.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Items per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The base learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>"adam", "adamw" or "sgd" (with momentum <see cref="Momentum"/>).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Weight decay (L2 for adam and sgd, decoupled for adamw).</summary>
    public float WeightDecay { get; init; }

    /// <summary>SGD momentum.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>"constant", "cosine" (to 0 over the epochs) or "step" (× <see cref="DecayFactor"/> every <see cref="DecayEvery"/> epochs).</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Epochs between decays of the "step" schedule.</summary>
    public int DecayEvery { get; init; } = 10;

    /// <summary>Factor of the "step" schedule.</summary>
    public float DecayFactor { get; init; } = 0.1f;

    /// <summary>Clip the gradients' global norm to this (0 for no clipping).</summary>
    public float ClipNorm { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss (0 never stops early).</summary>
    public int Patience { get; init; }

    /// <summary>Restore the parameters of the epoch with the best validation loss at the end.</summary>
    public bool KeepBest { get; init; } = true;

    /// <summary>Write a checkpoint every this many epochs (0 for none) to <see cref="CheckpointPath"/>.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Where checkpoints go, or null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Seed of the shuffling and of the training noise.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every value and returns these options, or throws naming the bad one.</summary>
    public TrainerOptions Validate()
    {
        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Check(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "positive");
        Check(Optimizer is "adam" or "adamw" or "sgd", nameof(Optimizer), Optimizer, "adam, adamw or sgd");
        Check(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "0 or more");
        Check(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Check(Schedule is "constant" or "cosine" or "step", nameof(Schedule), Schedule, "constant, cosine or step");
        Check(DecayEvery >= 1, nameof(DecayEvery), DecayEvery, "at least 1");
        Check(DecayFactor > 0 && float.IsFinite(DecayFactor), nameof(DecayFactor), DecayFactor, "positive");
        Check(ClipNorm >= 0 && float.IsFinite(ClipNorm), nameof(ClipNorm), ClipNorm, "0 or more");
        Check(Patience >= 0, nameof(Patience), Patience, "0 or more");
        Check(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "0 or more");
        return this;
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"Trainer option {name} is {value}; expected {expected}.", name);
        }
    }
}
