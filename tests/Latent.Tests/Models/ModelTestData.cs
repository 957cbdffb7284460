using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Models;

/// <summary>Small real data and short training runs shared by the model tests.</summary>
internal static class ModelTestData
{
    private static readonly Lazy<Tensor> s_digitsData = new(() => new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Features);

    /// <summary>The 1,797 8×8 digits in [0, 1]: [1797, 64].</summary>
    public static Tensor Digits => s_digitsData.Value;

    /// <summary>Rows [start, start + count) of <paramref name="data"/> as a new tensor.</summary>
    public static Tensor Rows(Tensor data, int start, int count)
    {
        var rows = Tensor.Zeros(count, data.Columns);
        data.Span.Slice(start * data.Columns, count * data.Columns).CopyTo(rows.Span);
        return rows;
    }

    /// <summary>A small model of <paramref name="preset"/> for 64 inputs.</summary>
    public static AutoencoderOptions Small(string preset, Func<AutoencoderOptions, AutoencoderOptions>? change = null)
    {
        var options = Presets.Defaults(preset, 64) with { Hidden = [48], Latent = 8, TopK = 4, Seed = 1 };
        if (preset is "linear-ae")
        {
            options = options with { Hidden = [] };
        }

        if (preset is "ksparse-ae")
        {
            options = options with { Hidden = [], Latent = 32, TopK = 8, TopKAlpha = 2f };
        }

        return change is null ? options : change(options);
    }

    /// <summary>Trains quietly, without checkpoints.</summary>
    public static Autoencoder Train(Autoencoder model, Tensor data, int epochs, int batch = 64, float learningRate = 3e-3f, string schedule = "constant") =>
        new Trainer(new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = learningRate, CheckpointEvery = 0, Schedule = Latent.Optim.OptimizerRegistry.ParseSchedule(schedule) })
            .Fit(model, data).Model;

    /// <summary>Mean over items of ‖x − reconstruction(x)‖².</summary>
    public static double MeanSquaredError(Autoencoder model, Tensor data, Tensor? inputs = null)
    {
        var reconstruction = model.Reconstruct(inputs ?? data);
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double d = data[i] - reconstruction[i];
            sum += d * d;
        }

        return sum / data.Rows;
    }
}
