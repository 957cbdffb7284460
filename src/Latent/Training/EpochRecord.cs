using Latent.Models;

namespace Latent.Training;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Train">Loss terms averaged over the epoch's training batches (weighted by batch size).</param>
/// <param name="Validation">Loss terms on the validation data after the epoch, or null without validation data.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="Seconds">Wall-clock time of the epoch's training steps.</param>
/// <param name="Metrics">
/// Measurements of the model after the epoch that the trainer was asked to record, by name (e.g.
/// <see cref="PcaAngleMetric"/> with <see cref="TrainerOptions.PcaAngle"/>), or null for none.
/// </param>
public sealed record EpochRecord(int Epoch, LossTerms Train, LossTerms? Validation, double LearningRate, double Seconds, IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>
    /// The metric of <see cref="TrainerOptions.PcaAngle"/>: the largest principal angle in degrees between a
    /// linear decoder's subspace and the training data's top-k principal subspace.
    /// </summary>
    public const string PcaAngleMetric = "pca_angle";

    /// <summary>The metric recorded for a learned Gaussian likelihood: its σ after the epoch (<see cref="LearnedGaussianLikelihood.Sigma"/>).</summary>
    public const string SigmaMetric = "sigma";

    /// <summary>The learned likelihood's σ after the epoch, or null for the other likelihoods.</summary>
    public double? Sigma => Metric(SigmaMetric);

    /// <summary>The value of metric <paramref name="name"/> after this epoch, or null when it was not recorded.</summary>
    public double? Metric(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Metrics is not null && Metrics.TryGetValue(name, out double value) ? value : null;
    }
}
