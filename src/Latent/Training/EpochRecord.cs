using Latent.Models;

namespace Latent.Training;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Train">Loss terms averaged over the epoch's training batches (weighted by batch size).</param>
/// <param name="Validation">Loss terms on the validation data after the epoch, or null without validation data.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="Seconds">Wall-clock time of the epoch's training steps.</param>
/// <param name="Sigma">
/// The σ of a learned Gaussian likelihood after the epoch (<see cref="LearnedGaussianLikelihood.Sigma"/>), or null
/// for the other likelihoods.
/// </param>
public sealed record EpochRecord(int Epoch, LossTerms Train, LossTerms? Validation, double LearningRate, double Seconds, double? Sigma = null);
