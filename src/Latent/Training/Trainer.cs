using System.Diagnostics;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// Trains an autoencoder by mini-batch gradient descent: shuffled epochs, an optimizer and schedule, per-epoch
/// validation with early stopping and keeping the best parameters, a guard against NaN losses, and atomic
/// checkpoints from which <see cref="Resume(string, IFeatureSource, IFeatureSource, AutoencoderOptions)"/> continues bitwise as if never interrupted.
/// </summary>
/// <remarks>
/// <para>
/// The data are any <see cref="IFeatureSource"/> (in memory or memory-mapped), read through one shuffling
/// <see cref="Batcher"/>; the same items give the same model bitwise, wherever they come from.
/// </para>
/// <para>
/// Two random streams drive a run, both seeded from <see cref="TrainerOptions.Seed"/> and both saved in
/// checkpoints: the batcher's, which orders each epoch, and the one that draws the model's training noise
/// (posterior samples, corruption). Validation uses a fresh stream per epoch, so validation losses are
/// comparable. A checkpoint also records the options; <see cref="Resume(string, IFeatureSource, IFeatureSource, AutoencoderOptions)"/>
/// refuses options that would change the optimisation (see <see cref="TrainerOptions"/>).
/// </para>
/// </remarks>
public sealed class Trainer
{
    private readonly TrainingLoop _loop;

    /// <summary>A trainer with <paramref name="options"/> (checked here: a bad value throws <see cref="ArgumentException"/>), reporting to <paramref name="observer"/> if given.</summary>
    public Trainer(TrainerOptions options, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _loop = new TrainingLoop(Options, observer);
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Asks the run to stop after the current epoch (for a callback).</summary>
    public void RequestStop() => _loop.StopRequested = true;

    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> [n, inputs], validating on <paramref name="validation"/> if given.</summary>
    public TrainingResult Fit(Autoencoder model, Tensor train, Tensor? validation = null) =>
        Fit(model, Source(train, nameof(train)), validation is null ? null : Source(validation, nameof(validation)));

    /// <summary>Trains <paramref name="model"/> on the items of <paramref name="train"/>, validating on <paramref name="validation"/> if given.</summary>
    public TrainingResult Fit(Autoencoder model, IFeatureSource train, IFeatureSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        using var target = new AutoencoderTarget(model, Options, train);
        (var history, int bestEpoch, bool stoppedEarly) = _loop.Fit(target, train, validation);
        return new TrainingResult(model, history, bestEpoch, stoppedEarly);
    }

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="train">The training data, the same as the run's.</param>
    /// <param name="validation">The validation data, the same as the run's, or null.</param>
    /// <param name="model">The model the caller means to continue, checked against the checkpoint's; null to take the checkpoint's as it is.</param>
    public TrainingResult Resume(string checkpointPath, Tensor train, Tensor? validation = null, AutoencoderOptions? model = null) =>
        Resume(checkpointPath, Source(train, nameof(train)), validation is null ? null : Source(validation, nameof(validation)), model);

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="train">The training data, the same as the run's.</param>
    /// <param name="validation">The validation data, the same as the run's, or null.</param>
    /// <param name="model">The model the caller means to continue, checked against the checkpoint's; null to take the checkpoint's as it is.</param>
    /// <exception cref="InvalidOperationException">
    /// These options differ from the checkpoint's in one that defines the optimisation (the optimizer, its
    /// hyperparameters, the batch size, the seed, the clipping), or <paramref name="model"/> differs from the
    /// checkpoint's model in any option; the message names each difference.
    /// </exception>
    public TrainingResult Resume(string checkpointPath, IFeatureSource train, IFeatureSource? validation = null, AutoencoderOptions? model = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(train);
        var checkpoint = Checkpoint.Load(checkpointPath);
        var saved = checkpoint.Model as Autoencoder
            ?? throw new InvalidOperationException($"{checkpointPath}: cannot resume: the checkpoint holds an adversarial network ({((AdversarialNetwork)checkpoint.Model).Options.Preset}); continue it with {nameof(AdversarialTrainer)}.");

        // The seed is the trainer's too, compared by the loop; everything else defines the model.
        TrainingLoop.CheckResumable(Options, checkpoint, checkpointPath, model is null ? [] : OptionDifferences.Between(saved.Options with { Seed = model.Seed }, model));
        using var target = new AutoencoderTarget(saved, Options, train);
        (var history, int bestEpoch, bool stoppedEarly) = _loop.Resume(target, checkpoint, checkpointPath, train, validation);
        return new TrainingResult(saved, history, bestEpoch, stoppedEarly);
    }

    private static TensorSource Source(Tensor data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return new TensorSource(data, name);
    }

    /// <summary>How far above the best epoch's mean loss an epoch's mean may go: an order of magnitude.</summary>
    internal const double EpochExplosion = 9;

    /// <summary>How far above the best batch loss one batch may go: three orders of magnitude (batches are noisy).</summary>
    internal const double BatchExplosion = 999;

    /// <summary>
    /// Whether a loss of <paramref name="loss"/> is an explosion against <paramref name="best"/>: above
    /// best + factor·max(|best|, scale), i.e. (factor + 1)× the best for losses above the scale. The scale (the
    /// item's feature count: a loss sums over them) keeps losses near zero or negative, as a learned σ's can be,
    /// from tripping the guard on ordinary noise.
    /// </summary>
    internal static bool Exploded(double loss, double best, double scale, double factor) =>
        double.IsFinite(best) && loss > best + (factor * Math.Max(Math.Abs(best), scale));
}
