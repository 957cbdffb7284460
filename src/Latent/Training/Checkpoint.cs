using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// Everything needed to continue a run exactly: the model, the optimizer's state, the random states, the epoch,
/// the history and the best parameters so far, in one .safetensors file written atomically.
/// </summary>
/// <remarks>
/// Tensors are named "model.{parameter}", "optimizer.{state}" and "best.{parameter}" (an adversarial run's two
/// optimizers as "optimizer.generator.{state}" and "optimizer.discriminator.{state}"); the metadata holds the
/// model's own metadata (so <see cref="ModelFile"/> can rebuild it) and "trainer.*" entries: among them
/// "trainer.batcher_rng" (the <see cref="Batcher"/>'s state, which replaced the older "trainer.shuffle_rng",
/// still read), "trainer.options" (the <see cref="TrainerOptions"/> as JSON) and "trainer.optimizer" (the
/// optimizer's kind and hyperparameters as JSON, {"kind": "adam", "lr": 0.001, ...}). Checkpoints written
/// before the last two existed load without them, and resuming them checks nothing.
/// </remarks>
internal sealed class Checkpoint
{
    public const string KindKey = "latent.checkpoint";
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string BestPrefix = "best.";

    /// <summary>The model: an <see cref="Autoencoder"/> or an <see cref="AdversarialNetwork"/>.</summary>
    public required Nn.Module Model { get; init; }

    /// <summary>The model file's metadata of <see cref="Model"/> with the given entries (set when saving).</summary>
    public Func<IReadOnlyDictionary<string, string>, Dictionary<string, string>>? ModelMetadata { get; init; }

    public required IReadOnlyDictionary<string, Tensor> OptimizerState { get; init; }

    public IReadOnlyDictionary<string, Tensor>? Best { get; init; }

    public required int Epoch { get; init; }

    /// <summary>The batcher's random state (<see cref="Batcher.StateWords"/> words, or 4 from an older checkpoint).</summary>
    public required ulong[] BatcherState { get; init; }

    /// <summary>The options of the run that wrote the checkpoint (null in older checkpoints).</summary>
    public TrainerOptions? Options { get; init; }

    /// <summary>The optimizer of the run (null in older checkpoints).</summary>
    public OptimizerKind? OptimizerKind { get; init; }

    /// <summary>Its hyperparameters by key, as <see cref="OptimizerEntry.Values"/> lists them (null in older checkpoints).</summary>
    public IReadOnlyDictionary<string, float>? OptimizerHyperparameters { get; init; }

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

        var entries = new Dictionary<string, string>
        {
            [KindKey] = "1",
            ["trainer.epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["trainer.batcher_rng"] = FormatState(BatcherState),
            ["trainer.noise_rng"] = FormatState(NoiseState),
            ["trainer.history"] = History.ToJson(),
            ["trainer.best_loss"] = BestLoss.ToString("R", CultureInfo.InvariantCulture),
            ["trainer.best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["trainer.epochs_without_improvement"] = EpochsWithoutImprovement.ToString(CultureInfo.InvariantCulture),
        };
        if (Options is not null)
        {
            entries["trainer.options"] = Options.ToJson();
        }

        if (OptimizerKind is { } kind && OptimizerHyperparameters is not null)
        {
            entries["trainer.optimizer"] = FormatOptimizer(kind, OptimizerHyperparameters);
        }

        var metadata = ModelMetadata?.Invoke(entries) ?? throw new InvalidOperationException("A checkpoint is saved with its model's metadata.");
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

        Nn.Module model = AdversarialModelFile.Holds(metadata)
            ? AdversarialModelFile.FromTensors(file.Tensors, metadata, path, ModelPrefix)
            : ModelFile.FromTensors(file.Tensors, metadata, path, ModelPrefix);
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
            (OptimizerKind? kind, IReadOnlyDictionary<string, float>? hyperparameters) = metadata.TryGetValue("trainer.optimizer", out string? optimizerJson)
                ? ParseOptimizer(optimizerJson)
                : (null, null);
            return new Checkpoint
            {
                Model = model,
                OptimizerState = optimizer,
                Best = best.Count == 0 ? null : best,
                Epoch = int.Parse(Get(metadata, "trainer.epoch", path), CultureInfo.InvariantCulture),
                BatcherState = metadata.TryGetValue("trainer.batcher_rng", out string? batcher)
                    ? ParseState(batcher, Batcher.StateWords)
                    : ParseState(Get(metadata, "trainer.shuffle_rng", path), 4),
                NoiseState = ParseState(Get(metadata, "trainer.noise_rng", path), 4),
                Options = metadata.TryGetValue("trainer.options", out string? options) ? TrainerOptions.FromJson(options) : null,
                OptimizerKind = kind,
                OptimizerHyperparameters = hyperparameters,
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

    private static ulong[] ParseState(string text, int count)
    {
        string[] words = text.Split(' ');
        if (words.Length != count)
        {
            throw new FormatException($"a random state has {count} words, not {words.Length}");
        }

        return [.. words.Select(w => ulong.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }

    private static string FormatOptimizer(OptimizerKind kind, IReadOnlyDictionary<string, float> hyperparameters)
    {
        var json = new JsonObject { ["kind"] = OptimizerRegistry.Get(kind).Name };
        foreach ((string key, float value) in hyperparameters)
        {
            json[key] = value;
        }

        return json.ToJsonString();
    }

    private static (OptimizerKind?, IReadOnlyDictionary<string, float>?) ParseOptimizer(string text)
    {
        try
        {
            var json = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("the optimizer entry is not a JSON object");
            string name = json["kind"]?.GetValue<string>() ?? throw new FormatException("the optimizer entry has no kind");
            var kind = OptimizerRegistry.ParseOptimizer(name);
            var values = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach ((string key, JsonNode? value) in json)
            {
                if (key != "kind")
                {
                    values[key] = value?.GetValue<float>() ?? throw new FormatException($"the optimizer's '{key}' is null");
                }
            }

            return (kind, values);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"the optimizer entry is malformed: {exception.Message}", exception);
        }
    }
}
