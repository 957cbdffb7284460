using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Models;
using Latent.Serialization;

namespace Latent.Training;

/// <summary>The per-epoch records of a training run, written as CSV and JSON.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>A history of every loss term (<see cref="LossTerms.Names"/>), an autoencoder's.</summary>
    public TrainingHistory()
        : this(LossTerms.Names)
    {
    }

    /// <summary>
    /// A history whose CSV and JSON hold the loss terms <paramref name="termNames"/> alone (a GAN's history has no
    /// reconstruction or KL term: just "loss"); the terms left out read back as 0.
    /// </summary>
    /// <param name="termNames">"loss" first, then any of the other <see cref="LossTerms.Names"/>, in their order.</param>
    /// <exception cref="ArgumentException">The names are not such a list.</exception>
    public TrainingHistory(IReadOnlyList<string> termNames)
    {
        ArgumentNullException.ThrowIfNull(termNames);
        var indices = termNames.Select(name => IndexOfTerm(name)).ToArray();
        if (indices.Length == 0 || indices[0] != 0 || indices.Where((index, i) => i > 0 && index <= indices[i - 1]).Any())
        {
            throw new ArgumentException(
                $"The history's terms ({string.Join(", ", termNames)}) must be \"loss\" and then some of {string.Join(", ", LossTerms.Names)}, in that order.", nameof(termNames));
        }

        TermNames = [.. termNames];
    }

    /// <summary>The loss terms the history records (columns of the CSV, keys of the JSON's "train" and "validation").</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>The epochs, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Appends an epoch.</summary>
    public void Add(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _epochs.Add(record);
    }

    /// <summary>The names of the metrics recorded in any epoch (<see cref="EpochRecord.Metrics"/>), in order of first appearance.</summary>
    public IReadOnlyList<string> MetricNames => [.. _epochs.Where(e => e.Metrics is not null).SelectMany(e => e.Metrics!.Keys).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// One line per epoch: epoch, the training terms, the validation terms ("val_" prefix, empty without
    /// validation), learning rate and seconds, then one column per recorded metric (<see cref="MetricNames"/>;
    /// empty in an epoch that did not record it).
    /// </summary>
    public string ToCsv()
    {
        var metrics = MetricNames;
        var text = new StringBuilder();
        text.Append("epoch");
        foreach (string name in TermNames)
        {
            text.Append(',').Append(name);
        }

        foreach (string name in TermNames)
        {
            text.Append(",val_").Append(name);
        }

        text.Append(",learning_rate,seconds");
        foreach (string name in metrics)
        {
            text.Append(',').Append(name);
        }

        text.Append('\n');
        foreach (var record in _epochs)
        {
            text.Append(record.Epoch.ToString(CultureInfo.InvariantCulture));
            double[] train = record.Train.Values();
            foreach (string name in TermNames)
            {
                text.Append(',').Append(Format(train[IndexOfTerm(name)]));
            }

            double[]? validation = record.Validation?.Values();
            foreach (string name in TermNames)
            {
                text.Append(',');
                if (validation is not null)
                {
                    text.Append(Format(validation[IndexOfTerm(name)]));
                }
            }

            text.Append(',').Append(Format(record.LearningRate)).Append(',').Append(Format(record.Seconds));
            foreach (string name in metrics)
            {
                text.Append(',');
                if (record.Metric(name) is { } value)
                {
                    text.Append(Format(value));
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// A JSON array with one object per epoch: {"epoch", "train": {...}, "validation": {...} or null,
    /// "learningRate", "seconds"}, and "metrics": {name: value, ...} in an epoch that recorded some.
    /// </summary>
    public string ToJson()
    {
        var array = new JsonArray();
        foreach (var record in _epochs)
        {
            var item = new JsonObject
            {
                ["epoch"] = record.Epoch,
                ["train"] = Terms(record.Train),
                ["validation"] = record.Validation is { } v ? Terms(v) : null,
                ["learningRate"] = record.LearningRate,
                ["seconds"] = record.Seconds,
            };
            if (record.Metrics is { } metrics)
            {
                var values = new JsonObject();
                foreach ((string name, double value) in metrics)
                {
                    values[name] = Number(value);
                }

                item["metrics"] = values;
            }

            array.Add(item);
        }

        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    /// <summary>Reads <see cref="ToJson"/>'s output; its terms are those of the first epoch's "train" (all of them when it has no epoch).</summary>
    /// <exception cref="FormatException">The text is not a history.</exception>
    public static TrainingHistory FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var epochs = JsonNode.Parse(json)!.AsArray();
            var history = epochs.Count == 0 ? new TrainingHistory() : new TrainingHistory([.. epochs[0]!["train"]!.AsObject().Select(p => p.Key)]);
            foreach (var node in epochs)
            {
                var item = node!.AsObject();
                history.Add(new EpochRecord(
                    item["epoch"]!.GetValue<int>(),
                    history.ReadTerms(item["train"]!),
                    item["validation"] is { } validation ? history.ReadTerms(validation) : null,
                    ReadNumber(item["learningRate"]!),
                    ReadNumber(item["seconds"]!),
                    item["metrics"] is { } metrics ? ReadMetrics(metrics) : null));
            }

            return history;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new FormatException($"The training history is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>Writes history.csv and history.json into <paramref name="folder"/>, atomically.</summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, "history.csv"), Encoding.UTF8.GetBytes(ToCsv()));
        AtomicFile.WriteAllBytes(Path.Combine(folder, "history.json"), Encoding.UTF8.GetBytes(ToJson()));
    }

    private static int IndexOfTerm(string name)
    {
        for (int i = 0; i < LossTerms.Names.Count; i++)
        {
            if (LossTerms.Names[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"'{name}' is not a loss term ({string.Join(", ", LossTerms.Names)}).", nameof(name));
    }

    private JsonObject Terms(LossTerms terms)
    {
        var values = terms.Values();
        var item = new JsonObject();
        foreach (string name in TermNames)
        {
            item[name] = Number(values[IndexOfTerm(name)]);
        }

        return item;
    }

    // JSON has no NaN or infinity; those are written as strings so that a diverged run's history still reads.
    private static JsonNode Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(Format(value));

    private static double ReadNumber(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture) : node.GetValue<double>();

    private static Dictionary<string, double> ReadMetrics(JsonNode node)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string name, JsonNode? value) in node.AsObject())
        {
            metrics[name] = ReadNumber(value ?? throw new FormatException($"metric '{name}' is null"));
        }

        return metrics;
    }

    // The history's terms (each required), the others 0.
    private LossTerms ReadTerms(JsonNode node)
    {
        var item = node.AsObject();
        double Get(string name) => !TermNames.Contains(name) ? 0 : ReadNumber(item[name] ?? throw new FormatException($"missing term '{name}'"));
        return new LossTerms(Get("loss"), Get("reconstruction"), Get("kl"), Get("mmd"), Get("sparsity"));
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
