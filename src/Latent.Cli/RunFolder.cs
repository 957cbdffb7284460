using Latent.Data;
using Latent.Models;

namespace Latent.Cli;

/// <summary>The files of a training run folder (runs/NAME) and the data loading the model commands share.</summary>
internal static class RunFolder
{
    public const string ModelFileName = "model.safetensors";
    public const string CheckpointFileName = "checkpoint.safetensors";

    /// <summary>The model of a run folder, or the model file itself when <paramref name="run"/> is a file.</summary>
    public static Autoencoder LoadModel(string run)
    {
        string path = Directory.Exists(run) ? Path.Combine(run, ModelFileName) : run;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such model file (train one with 'latent train').", path);
        }

        return ModelFile.Load(path);
    }

    /// <summary>A data set by catalog name or path, as features in [0, 1], checked against the model's input size.</summary>
    public static Dataset LoadData(string spec, int? inputs = null)
    {
        var data = DataCatalog.Load(spec);
        if (inputs is { } expected && data.Dimension != expected)
        {
            throw new ArgumentException($"Data '{spec}' has {data.Dimension} features per item; the model takes {expected}.");
        }

        return data;
    }
}
