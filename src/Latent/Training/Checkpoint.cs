using System.Globalization;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// Everything needed to continue a run exactly: the model, the optimizer's state, the random states, the epoch,
/// the history and the best parameters so far, in one .safetensors file written atomically.
/// </summary>
/// <remarks>
/// Tensors are named "model.{parameter}", "optimizer.{state}" and "best.{parameter}"; the metadata holds the
/// model's own metadata (so <see cref="ModelFile"/> can rebuild it) and "trainer.*" entries.
/// </remarks>
internal sealed class Checkpoint
{
    public const string KindKey = "latent.checkpoint";
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string BestPrefix = "best.";

    public required Autoencoder Model { get; init; }

    public required IReadOnlyDictionary<string, Tensor> OptimizerState { get; init; }

    public IReadOnlyDictionary<string, Tensor>? Best { get; init; }

    public required int Epoch { get; init; }

    public required ulong[] ShuffleState { get; init; }

    public required ulong[] NoiseState { get; init; }

    public required TrainingHistory History { get; init; }

    public double BestLoss { get; init; } = double.PositiveInfinity;

    public int BestEpoch { get; init; }

    public int EpochsWithoutImprovement { get; init; }

    public void Save(string path)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in Model.StateDict())
        {
            tensors[ModelPrefix + name] = value;
        }

        foreach ((string name, Tensor value) in OptimizerState)
        {
            tensors[OptimizerPrefix + name] = value;
        }

        if (Best is not null)
        {
            foreach ((string name, Tensor value) in Best)
            {
                tensors[BestPrefix + name] = value;
            }
        }

        var metadata = ModelFile.Metadata(Model, new Dictionary<string, string>
        {
            [KindKey] = "1",
            ["trainer.epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["trainer.shuffle_rng"] = FormatState(ShuffleState),
            ["trainer.noise_rng"] = FormatState(NoiseState),
            ["trainer.history"] = History.ToJson(),
            ["trainer.best_loss"] = BestLoss.ToString("R", CultureInfo.InvariantCulture),
            ["trainer.best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["trainer.epochs_without_improvement"] = EpochsWithoutImprovement.ToString(CultureInfo.InvariantCulture),
        });
        SafeTensors.Write(path, tensors, metadata);
    }

    public static Checkpoint Load(string path)
    {
        var file = SafeTensors.Read(path);
        var metadata = file.Metadata;
        if (!metadata.ContainsKey(KindKey))
        {
            throw new DataFormatException(path, $"not a Latent training checkpoint (metadata '{KindKey}' is missing).");
        }

        var model = ModelFile.FromTensors(file.Tensors, metadata, path, ModelPrefix);
        var optimizer = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in file.Tensors)
        {
            if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizer[name[OptimizerPrefix.Length..]] = value;
            }
            else if (name.StartsWith(BestPrefix, StringComparison.Ordinal))
            {
                best[name[BestPrefix.Length..]] = value;
            }
        }

        try
        {
            return new Checkpoint
            {
                Model = model,
                OptimizerState = optimizer,
                Best = best.Count == 0 ? null : best,
                Epoch = int.Parse(Get(metadata, "trainer.epoch", path), CultureInfo.InvariantCulture),
                ShuffleState = ParseState(Get(metadata, "trainer.shuffle_rng", path)),
                NoiseState = ParseState(Get(metadata, "trainer.noise_rng", path)),
                History = TrainingHistory.FromJson(Get(metadata, "trainer.history", path)),
                BestLoss = double.Parse(Get(metadata, "trainer.best_loss", path), CultureInfo.InvariantCulture),
                BestEpoch = int.Parse(Get(metadata, "trainer.best_epoch", path), CultureInfo.InvariantCulture),
                EpochsWithoutImprovement = int.Parse(Get(metadata, "trainer.epochs_without_improvement", path), CultureInfo.InvariantCulture),
            };
        }
        catch (FormatException exception)
        {
            throw new DataFormatException(path, $"a trainer entry is malformed: {exception.Message}", exception);
        }
    }

    private static string Get(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out string? value) ? value : throw new DataFormatException(path, $"metadata '{key}' is missing.");

    private static string FormatState(ulong[] state) => string.Join(' ', state.Select(w => w.ToString("x16", CultureInfo.InvariantCulture)));

    private static ulong[] ParseState(string text)
    {
        string[] words = text.Split(' ');
        if (words.Length != 4)
        {
            throw new FormatException($"a random state has 4 words, not {words.Length}");
        }

        return [.. words.Select(w => ulong.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }
}
