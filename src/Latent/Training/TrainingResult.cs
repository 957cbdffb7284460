using Latent.Models;

namespace Latent.Training;

/// <summary>The outcome of <see cref="Trainer.Fit(Autoencoder, Data.IFeatureSource, Data.IFeatureSource)"/> or <see cref="Trainer.Resume(string, Data.IFeatureSource, Data.IFeatureSource, AutoencoderOptions)"/>.</summary>
/// <param name="Model">The trained model (the best epoch's parameters when keeping the best).</param>
/// <param name="History">Every epoch's record, including those before a resume.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss, or 0 without validation.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the last epoch.</param>
public sealed record TrainingResult(Autoencoder Model, TrainingHistory History, int BestEpoch, bool StoppedEarly);
