using Latent.Data;
using Latent.Models;

namespace Latent.Training;

/// <summary>
/// Trains an <see cref="AdversarialNetwork"/> (a GAN, DCGAN or InfoGAN): per batch one discriminator step and, every
/// k-th batch (<see cref="AdversarialOptions.DiscriminatorSteps"/>), one generator step with the non-saturating loss,
/// each network with its own optimizer (<see cref="TrainerOptions.LearningRate"/> for the generator,
/// <see cref="TrainerOptions.DiscriminatorLearningRate"/> for the discriminator, its critic and recognition head).
/// </summary>
/// <remarks>
/// It runs on the machinery of <see cref="Trainer"/>: the same shuffled batches, schedule, progress callbacks,
/// history (the losses of both networks and the mean scores D(x) and D(G(z)) as per-epoch metrics), NaN guard,
/// atomic checkpoints and bitwise-exact <see cref="Resume"/>. A game's losses are not minimised, so there is no
/// explosion guard on their size, no validation loss and so no early stopping or best epoch.
/// </remarks>
public sealed class AdversarialTrainer
{
    private readonly TrainingLoop _loop;

    /// <summary>A trainer with <paramref name="options"/> (checked here), reporting to <paramref name="observer"/> if given.</summary>
    public AdversarialTrainer(TrainerOptions options, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _loop = new TrainingLoop(Options, observer);
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Asks the run to stop after the current epoch.</summary>
    public void RequestStop() => _loop.StopRequested = true;

    /// <summary>Trains <paramref name="network"/> on the items of <paramref name="train"/>.</summary>
    public AdversarialTrainingResult Fit(AdversarialNetwork network, IFeatureSource train)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        using var target = new AdversarialTarget(network, Options);
        (var history, _, bool stoppedEarly) = _loop.Fit(target, train, null);
        return new AdversarialTrainingResult(network, history, stoppedEarly);
    }

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, on the same data.</summary>
    /// <param name="checkpointPath">The checkpoint.</param>
    /// <param name="train">The training data, the same as the run's.</param>
    /// <param name="network">The network's options the caller means to continue, checked against the checkpoint's; null to take the checkpoint's.</param>
    /// <exception cref="InvalidOperationException">The options differ from the checkpoint's in one that defines the optimisation or the network; the message names each difference.</exception>
    public AdversarialTrainingResult Resume(string checkpointPath, IFeatureSource train, AdversarialOptions? network = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(train);
        var checkpoint = Checkpoint.Load(checkpointPath);
        var saved = checkpoint.Model as AdversarialNetwork
            ?? throw new InvalidOperationException($"{checkpointPath}: cannot resume: the checkpoint holds an autoencoder ({((Autoencoder)checkpoint.Model).Options.Preset}); continue it with {nameof(Trainer)}.");
        TrainingLoop.CheckResumable(Options, checkpoint, checkpointPath, network is null ? [] : OptionDifferences.Between(saved.Options with { Seed = network.Seed }, network));
        using var target = new AdversarialTarget(saved, Options);
        (var history, _, bool stoppedEarly) = _loop.Resume(target, checkpoint, checkpointPath, train, null);
        return new AdversarialTrainingResult(saved, history, stoppedEarly);
    }
}

/// <summary>The outcome of <see cref="AdversarialTrainer.Fit"/> or <see cref="AdversarialTrainer.Resume"/>.</summary>
/// <param name="Network">The trained network (the last epoch's parameters).</param>
/// <param name="History">Every epoch's record, including those before a resume.</param>
/// <param name="StoppedEarly">Whether the run stopped on request before the last epoch.</param>
public sealed record AdversarialTrainingResult(AdversarialNetwork Network, TrainingHistory History, bool StoppedEarly);
