using Latent.Data;
using Latent.Models;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>What an <see cref="AdversarialTrainingRun"/> trains and how.</summary>
public sealed record AdversarialRunOptions
{
    /// <summary>The network to train; when resuming, it must be the checkpoint's (an error names every option that differs).</summary>
    public required AdversarialOptions Network { get; init; }

    /// <summary>
    /// Epochs, batches, the optimizers (<see cref="TrainerOptions.LearningRate"/> the generator's,
    /// <see cref="TrainerOptions.DiscriminatorLearningRate"/> the discriminator's) and checkpoints; a null
    /// <see cref="TrainerOptions.CheckpointPath"/> means the run folder's.
    /// </summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Continue from the run folder's checkpoint instead of starting afresh (it must exist).</summary>
    public bool Resume { get; init; }

    /// <summary>Checks every value (the network's unless resuming) and returns these options, or throws naming the bad one.</summary>
    public AdversarialRunOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        ArgumentNullException.ThrowIfNull(Trainer, nameof(Trainer));
        if (!Resume)
        {
            Network.Validate();
        }

        Trainer.Validate();
        return this;
    }
}

/// <summary>
/// One adversarial training run into a run folder, as <see cref="TrainingRun"/> does for autoencoders: the same files
/// (<see cref="RunFiles"/>: model, checkpoint, history, the data record a resume must match), written atomically, and
/// the same clean-up on failure. The network trains on all the data (a GAN has no validation loss).
/// </summary>
public static class AdversarialTrainingRun
{
    /// <summary>Trains (or resumes) on the items of <paramref name="data"/> and writes run folder <paramref name="folder"/>.</summary>
    /// <param name="options">The network, trainer and resume flag.</param>
    /// <param name="data">The data, scaled as the generator's output layer makes them (in [0, 1] after a sigmoid, [−1, 1] after tanh).</param>
    /// <param name="folder">The run folder, created if missing.</param>
    /// <param name="observer">Receives progress, or null.</param>
    /// <returns>The trained network and its history, as saved.</returns>
    /// <exception cref="ArgumentException">An option is invalid or the data do not fit the network.</exception>
    /// <exception cref="FileNotFoundException">Resuming, and the folder has no checkpoint.</exception>
    public static AdversarialTrainingResult Train(AdversarialRunOptions options, IFeatureSource data, string folder, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options.Validate();
        var trainerOptions = TrainingRun.WithCheckpoint(options.Trainer, folder, options.Resume);
        string checkpoint = trainerOptions.CheckpointPath!;
        if (!options.Resume)
        {
            CheckData(options.Network, data);
        }

        var runData = RunData.Of(data, 0);
        return TrainingRun.InFolder(folder, options.Resume, checkpoint, runData, () =>
        {
            var trainer = new AdversarialTrainer(trainerOptions, observer);
            var result = options.Resume
                ? trainer.Resume(checkpoint, data, options.Network)
                : trainer.Fit(new AdversarialNetwork(options.Network), data);
            AdversarialModelFile.Save(result.Network, RunFiles.ModelPath(folder), new Dictionary<string, string>(StringComparer.Ordinal) { [RunFiles.DataMetadataKey] = data.Name });
            result.History.Save(folder);
            return result;
        });
    }

    private static void CheckData(AdversarialOptions network, IFeatureSource data)
    {
        (float min, float max) = TrainingRun.CheckSize(data, network.Inputs);
        var last = Architecture.Parse(network.Generator, "generator").LastOrDefault(l => l.Activation is not null);
        (float low, float high, string name) = last?.Activation switch
        {
            Activation.Sigmoid => (0f, 1f, "sigmoid"),
            Activation.Tanh => (-1f, 1f, "tanh"),
            _ => (float.NegativeInfinity, float.PositiveInfinity, string.Empty),
        };
        if (!(min >= low && max <= high))
        {
            throw new ArgumentException(
                $"Data '{data.Name}' range over [{min:G4}, {max:G4}]; the generator's last layer ends in a {name}, which makes values in [{low}, {high}]: scale the data to that range.",
                nameof(data));
        }
    }
}
