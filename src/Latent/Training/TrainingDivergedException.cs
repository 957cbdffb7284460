namespace Latent.Training;

/// <summary>The loss became NaN or infinite; training stopped and the last good checkpoint was kept.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(int epoch, int step, double loss, string? checkpoint)
        : base($"The loss became {loss} at epoch {epoch}, batch {step}; training stopped. " +
            (checkpoint is null ? "No checkpoint was written." : $"The last good checkpoint is {checkpoint} (resume from it with a lower learning rate)."))
    {
        Epoch = epoch;
        Step = step;
        Checkpoint = checkpoint;
    }

    /// <summary>The epoch in which the loss diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1) at which it diverged.</summary>
    public int Step { get; }

    /// <summary>The last good checkpoint, or null when none was written.</summary>
    public string? Checkpoint { get; }
}
