using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// One training run into a run folder (runs/NAME): holds out a validation split, trains a new model or resumes
/// from the folder's checkpoint, and writes the model (with the data set's name in its metadata) and the
/// history. The files are named by <see cref="RunFiles"/>; every write is atomic.
/// </summary>
/// <remarks>
/// Everything that can be checked before training is checked before anything is written: the options, the
/// data's size against the model's, the data's range against a Bernoulli likelihood, and the checkpoint when
/// resuming (the checkpoint's model and trainer options, and the data recorded in <see cref="RunFiles.RunDataFileName"/>,
/// must match the run's, see <see cref="Trainer.Resume(string, IFeatureSource, IFeatureSource, AutoencoderOptions)"/>
/// and <see cref="RunData"/>). A run that fails removes the folders it created as long as nothing was written into them (a
/// checkpoint written before a failure stays, to resume from).
/// </remarks>
public static class TrainingRun
{
    /// <summary>Trains (or resumes) on <paramref name="data"/> and writes run folder <paramref name="folder"/>.</summary>
    /// <param name="options">The model, trainer, validation fraction and resume flag.</param>
    /// <param name="data">The whole data set, already scaled as the model expects (see <see cref="UnitScaling"/>).</param>
    /// <param name="folder">The run folder, created if missing.</param>
    /// <param name="observer">Receives progress, or null.</param>
    /// <returns>The trained model and its history, as saved.</returns>
    /// <exception cref="ArgumentException">An option is invalid or the data do not fit the model.</exception>
    /// <exception cref="FileNotFoundException">Resuming, and the folder has no checkpoint.</exception>
    public static TrainingResult Train(TrainingRunOptions options, Dataset data, string folder, ITrainingObserver? observer = null) =>
        Train(options, (IFeatureSource)data, folder, observer);

    /// <summary>
    /// Trains (or resumes) on the items of <paramref name="data"/>, in memory or not (a memory-mapped file, read
    /// batch by batch: the checks and the data's fingerprint each take one pass over it, block by block, and the
    /// validation split is a view of it), and writes run folder <paramref name="folder"/>.
    /// </summary>
    /// <param name="options">The model, trainer, validation fraction and resume flag.</param>
    /// <param name="data">The whole data set, already scaled as the model expects (see <see cref="UnitScaling.Apply(IFeatureSource)"/>).</param>
    /// <param name="folder">The run folder, created if missing.</param>
    /// <param name="observer">Receives progress, or null.</param>
    /// <returns>The trained model and its history, as saved.</returns>
    /// <exception cref="ArgumentException">An option is invalid or the data do not fit the model.</exception>
    /// <exception cref="FileNotFoundException">Resuming, and the folder has no checkpoint.</exception>
    public static TrainingResult Train(TrainingRunOptions options, IFeatureSource data, string folder, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options.Validate();
        var trainerOptions = WithCheckpoint(options.Trainer, folder, options.Resume);
        string checkpoint = trainerOptions.CheckpointPath!;
        if (!options.Resume)
        {
            CheckData(options.Model, data);
        }

        var runData = RunData.Of(data, options.ValidationFraction);
        IFeatureSource train = data;
        IFeatureSource? validation = null;
        if (options.ValidationFraction > 0)
        {
            (train, validation) = ValidationSplit.Split(data, options.ValidationFraction, trainerOptions.Seed);
        }

        return InFolder(folder, options.Resume, checkpoint, runData, () =>
        {
            var trainer = new Trainer(trainerOptions, observer);
            var result = options.Resume
                ? trainer.Resume(checkpoint, train, validation, options.Model)
                : trainer.Fit(new Autoencoder(options.Model), train, validation);
            ModelFile.Save(result.Model, RunFiles.ModelPath(folder), new Dictionary<string, string>(StringComparer.Ordinal) { [RunFiles.DataMetadataKey] = data.Name });
            result.History.Save(folder);
            return result;
        });
    }

    /// <summary>
    /// Runs <paramref name="train"/> in run folder <paramref name="folder"/> (created if missing), holding its lock:
    /// records the run's data, or checks that a resumed run's data are the recorded ones; on failure removes the
    /// folders it created while nothing of the run can be resumed from them.
    /// </summary>
    internal static T InFolder<T>(string folder, bool resume, string checkpoint, RunData runData, Func<T> train)
    {
        if (File.Exists(folder))
        {
            throw new IOException($"{folder}: is a file, not a run folder.");
        }

        var created = CreateFolder(folder);
        var started = DateTime.UtcNow;
        RunFolderLock? held = null;
        try
        {
            held = RunFolderLock.Acquire(folder);
            AtomicFile.RemoveTemporaries(folder);
            if (resume)
            {
                CheckSameData(RunData.Load(folder), runData, folder);
            }
            else
            {
                runData.Save(folder);
            }

            return train();
        }
        catch
        {
            if (held is not null && !resume && !(File.Exists(checkpoint) && File.GetLastWriteTimeUtc(checkpoint) >= started))
            {
                // Nothing of this run can be resumed: its data record would only mislead a later --resume.
                File.Delete(RunFiles.RunDataPath(folder));
            }

            held?.Dispose();
            held = null;
            RemoveEmpty(created);
            throw;
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>The checkpoint path of a run into <paramref name="folder"/>: the trainer's own, or the folder's; checked to exist when resuming.</summary>
    internal static TrainerOptions WithCheckpoint(TrainerOptions trainer, string folder, bool resume)
    {
        var options = trainer.CheckpointPath is null ? trainer with { CheckpointPath = RunFiles.CheckpointPath(folder) } : trainer;
        if (resume && !File.Exists(options.CheckpointPath))
        {
            throw new FileNotFoundException($"{options.CheckpointPath}: no checkpoint to resume from.", options.CheckpointPath);
        }

        return options;
    }

    private static void CheckSameData(RunData? recorded, RunData now, string folder)
    {
        if (recorded?.DifferencesFrom(now) is { Count: > 0 } differences)
        {
            throw new InvalidOperationException(
                $"{folder}: cannot resume: the run was started on other data ({string.Join(", ", differences)}); resume with the same data, --limit and --validation, or train into a new folder.");
        }
    }

    private static void CheckData(AutoencoderOptions model, IFeatureSource data)
    {
        (float min, float max) = CheckSize(data, model.Inputs);
        if (model.Likelihood == LikelihoodKind.Bernoulli && !(min >= 0 && max <= 1))
        {
            throw new ArgumentException(
                $"Data '{data.Name}' range over [{min:G4}, {max:G4}]; the Bernoulli likelihood takes values in [0, 1]: scale the data or choose a Gaussian likelihood.",
                nameof(data));
        }
    }

    /// <summary>Throws unless <paramref name="data"/> has items of <paramref name="inputs"/> values; returns their range (one pass).</summary>
    internal static (float Min, float Max) CheckSize(IFeatureSource data, int inputs)
    {
        if (data.Dimension != inputs)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the model takes {inputs}.", nameof(data));
        }

        if (data.Count == 0)
        {
            throw new ArgumentException($"Data '{data.Name}' are empty.", nameof(data));
        }

        return ValueRange.Of(data, $"Data '{data.Name}'");
    }

    /// <summary>Creates <paramref name="folder"/> and returns the folders that did not exist, deepest first.</summary>
    private static List<string> CreateFolder(string folder)
    {
        var missing = new List<string>();
        for (string? path = Path.GetFullPath(folder); !string.IsNullOrEmpty(path) && !Directory.Exists(path); path = Path.GetDirectoryName(path))
        {
            missing.Add(path);
        }

        Directory.CreateDirectory(folder);
        return missing;
    }

    /// <summary>Deletes the <paramref name="created"/> folders (deepest first) that are still empty.</summary>
    private static void RemoveEmpty(List<string> created)
    {
        foreach (string path in created)
        {
            try
            {
                if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
                {
                    Directory.Delete(path);
                }
            }
            catch (IOException)
            {
                // The run's own error matters more than a folder left behind.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
