using System.Globalization;

namespace Latent.Training;

/// <summary>The loss became NaN or infinite; training stopped and the last good checkpoint was kept.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>The loss became <paramref name="loss"/> at batch <paramref name="step"/> of epoch <paramref name="epoch"/>; <paramref name="checkpoint"/> is the last good checkpoint, or null.</summary>
    public TrainingDivergedException(int epoch, int step, double loss, string? checkpoint)
        : base($"The loss became {loss} at epoch {epoch}, batch {step}; training stopped. " +
            (checkpoint is null ? "No checkpoint was written." : $"The last good checkpoint is {checkpoint} (resume from it with a lower learning rate)."))
    {
        Epoch = epoch;
        Step = step;
        Checkpoint = checkpoint;
    }

    /// <summary>The batch loss exploded without becoming NaN: <paramref name="loss"/> against a best of <paramref name="best"/>.</summary>
    public TrainingDivergedException(int epoch, int step, double loss, double best, double learningRate, string? checkpoint)
        : base(string.Create(CultureInfo.InvariantCulture, $"The loss exploded to {loss:G4} at epoch {epoch}, batch {step}, far above its best ({best:G4}); training stopped. ") +
            Advice(learningRate, checkpoint))
    {
        Epoch = epoch;
        Step = step;
        Checkpoint = checkpoint;
    }

    /// <summary>A parameter became NaN or infinite (a non-finite gradient) while the loss was still finite.</summary>
    public TrainingDivergedException(int epoch, string parameter, double learningRate, string? checkpoint)
        : base($"Parameter '{parameter}' became NaN or infinite in epoch {epoch} (a non-finite gradient); training stopped. " + Advice(learningRate, checkpoint))
    {
        Epoch = epoch;
        Checkpoint = checkpoint;
    }

    /// <summary>The epoch in which the loss diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1) at which it diverged.</summary>
    public int Step { get; }

    /// <summary>The last good checkpoint, or null when none was written.</summary>
    public string? Checkpoint { get; }

    private static string Advice(double learningRate, string? checkpoint) =>
        string.Create(CultureInfo.InvariantCulture, $"Lower the learning rate (it was {learningRate:G3}: try --lr {learningRate / 10:G3}) or clip the gradients (--clip 1). ") +
        (checkpoint is null ? "No checkpoint was written." : $"The last good checkpoint is {checkpoint}.");
}
