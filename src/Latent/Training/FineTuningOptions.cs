namespace Latent.Training;

/// <summary>How <see cref="FineTuning"/> trains a classifier on an autoencoder's encoder: epochs, batches, Adam's rate, the held-out split.</summary>
public sealed record FineTuningOptions
{
    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>
    /// The fraction of the data held out (stratified by class) to measure the error on, in (0, 1): with the same
    /// <see cref="Seed"/> it is the split <c>latent train</c> held out, so the encoder never saw those items.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seeds the split, the batch order, the dropout masks and the head's initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>Start the encoder from random weights (the same architecture) instead of the pretrained ones: the "without pre-training" baseline.</summary>
    public bool FromScratch { get; init; }

    /// <summary>Checks every value and returns these options, or throws naming the bad one.</summary>
    public FineTuningOptions Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentException($"Fine-tuning option {nameof(Epochs)} is {Epochs}; expected at least 1.", nameof(Epochs));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"Fine-tuning option {nameof(BatchSize)} is {BatchSize}; expected at least 1.", nameof(BatchSize));
        }

        if (!(LearningRate > 0 && float.IsFinite(LearningRate)))
        {
            throw new ArgumentException($"Fine-tuning option {nameof(LearningRate)} is {LearningRate}; expected a positive number.", nameof(LearningRate));
        }

        if (!(ValidationFraction > 0 && ValidationFraction < 1))
        {
            throw new ArgumentException($"Fine-tuning option {nameof(ValidationFraction)} is {ValidationFraction}; expected a fraction strictly between 0 and 1.", nameof(ValidationFraction));
        }

        return this;
    }
}
