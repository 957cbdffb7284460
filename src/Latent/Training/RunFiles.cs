using Latent.Models;

namespace Latent.Training;

/// <summary>
/// The files of a training run folder (runs/NAME) as <see cref="TrainingRun"/> writes them, and reading them back:
/// the model, the checkpoint and the history.
/// </summary>
public static class RunFiles
{
    /// <summary>The trained model, a .safetensors file read by <see cref="ModelFile.Load"/>.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The checkpoint a run resumes from.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";

    /// <summary>The history as CSV, one line per epoch (<see cref="TrainingHistory.ToCsv"/>).</summary>
    public const string HistoryCsvFileName = "history.csv";

    /// <summary>The history as JSON (<see cref="TrainingHistory.ToJson"/>).</summary>
    public const string HistoryJsonFileName = "history.json";

    /// <summary>The record of the data a run was started on (<see cref="RunData"/>), which a resumed run must match.</summary>
    public const string RunDataFileName = "run-data.json";

    /// <summary>The model file's metadata key holding the name of the data set the model was trained on.</summary>
    public const string DataMetadataKey = "latent.data";

    /// <summary>The history files, as <see cref="TrainingHistory.Save"/> writes them.</summary>
    public static IReadOnlyList<string> HistoryFileNames { get; } = [HistoryCsvFileName, HistoryJsonFileName];

    /// <summary>The model file of run folder <paramref name="folder"/>.</summary>
    public static string ModelPath(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return Path.Combine(folder, ModelFileName);
    }

    /// <summary>The model file of <paramref name="runOrFile"/>: model.safetensors inside it when it is a folder (a run of <c>latent train</c> or <c>latent fit</c>), else the path itself.</summary>
    public static string ModelFileOf(string runOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(runOrFile);
        return Directory.Exists(runOrFile) ? ModelPath(runOrFile) : runOrFile;
    }

    /// <summary>The checkpoint of run folder <paramref name="folder"/>.</summary>
    public static string CheckpointPath(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return Path.Combine(folder, CheckpointFileName);
    }

    /// <summary>The data record of run folder <paramref name="folder"/>.</summary>
    public static string RunDataPath(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return Path.Combine(folder, RunDataFileName);
    }

    /// <summary>The model of a run folder, or the model file itself when <paramref name="runOrFile"/> is a file.</summary>
    /// <exception cref="FileNotFoundException">There is no such model file.</exception>
    /// <exception cref="Serialization.DataFormatException">The file is not a Latent autoencoder.</exception>
    public static Autoencoder LoadModel(string runOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(runOrFile);
        string path = ModelFileOf(runOrFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such model file (train one with 'latent train').", path);
        }

        return ModelFile.Load(path);
    }

    /// <summary>The history of run folder <paramref name="folder"/>, or null when it has none.</summary>
    /// <exception cref="FormatException">The history file is not valid.</exception>
    public static TrainingHistory? LoadHistory(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, HistoryJsonFileName);
        return File.Exists(path) ? TrainingHistory.FromJson(File.ReadAllText(path)) : null;
    }
}
