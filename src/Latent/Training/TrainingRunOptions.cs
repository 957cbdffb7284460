using Latent.Models;

namespace Latent.Training;

/// <summary>What a <see cref="TrainingRun"/> trains and how: the model, the trainer, the validation split, and whether to resume.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The model to train; when resuming, it must be the checkpoint's (an error names every option that differs).</summary>
    public required AutoencoderOptions Model { get; init; }

    /// <summary>
    /// Epochs, batches, optimizer, stopping and checkpoints. A null <see cref="TrainerOptions.CheckpointPath"/>
    /// means the run folder's <see cref="RunFiles.CheckpointFileName"/>; its <see cref="TrainerOptions.Seed"/>
    /// also seeds the validation split.
    /// </summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>The fraction of the data held out for validation, in [0, 1) (0: no validation).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Continue from the run folder's checkpoint instead of starting afresh (it must exist).</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// Checks every value (the trainer's too, and the model's unless resuming) and returns these options, or
    /// throws naming the bad one.
    /// </summary>
    public TrainingRunOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        ArgumentNullException.ThrowIfNull(Trainer, nameof(Trainer));
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentException($"Training run option {nameof(ValidationFraction)} is {ValidationFraction}; expected a fraction in [0, 1).", nameof(ValidationFraction));
        }

        if (!Resume)
        {
            Model.Validate();
        }

        Trainer.Validate();
        return this;
    }
}
