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
        var data = ToUnitRange(new DatasetCatalog().Load(spec));
        if (inputs is { } expected && data.Dimension != expected)
        {
            throw new ArgumentException($"Data '{spec}' has {data.Dimension} features per item; the model takes {expected}.");
        }

        return data;
    }

    /// <summary>
    /// Scales non-negative data to [0, 1] by its nominal range (the likelihoods expect it): data already in
    /// [0, 1] stay as they are, 4-bit data (digits-8x8, 0 to 16) are divided by 16, 8-bit data by 255, and
    /// anything else is mapped from its observed range. A fixed divisor keeps the train and test splits on
    /// one scale.
    /// </summary>
    public static Dataset ToUnitRange(Dataset data)
    {
        if (data.Count == 0)
        {
            return data;
        }

        float min = System.Numerics.Tensors.TensorPrimitives.Min(data.Features.Span), max = System.Numerics.Tensors.TensorPrimitives.Max(data.Features.Span);
        if (min >= 0 && max <= 1)
        {
            return data;
        }

        return min >= 0 && max <= 16 ? data.ScaleToUnit(0, 16)
            : min >= 0 && max <= 255 ? data.ScaleToUnit(0, 255)
            : data.ScaleToUnit();
    }
}
