using Latent.Models;

namespace Latent.Training;

/// <summary>
/// Callbacks from a <see cref="Trainer"/>: a progress display or a logger implements the ones it needs
/// (every method does nothing by default). Calls come from the training thread.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Training starts at <paramref name="firstEpoch"/> of <paramref name="epochs"/>, with <paramref name="stepsPerEpoch"/> batches each.</summary>
    void TrainingStarted(int firstEpoch, int epochs, int stepsPerEpoch)
    {
    }

    /// <summary>Batch <paramref name="step"/> (from 1) of epoch <paramref name="epoch"/> is done, with these loss terms.</summary>
    void StepCompleted(int epoch, int step, in LossTerms terms)
    {
    }

    /// <summary>An epoch is done (after validation and any checkpoint).</summary>
    void EpochCompleted(EpochRecord record)
    {
    }

    /// <summary>Training ended; <paramref name="reason"/> says why in a few words.</summary>
    void TrainingEnded(TrainingHistory history, string reason)
    {
    }
}
