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
        foreach (string name in LossTerms.Names)
        {
            text.Append(',').Append(name);
        }

        foreach (string name in LossTerms.Names)
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
            foreach (double value in record.Train.Values())
            {
                text.Append(',').Append(Format(value));
            }

            double[]? validation = record.Validation?.Values();
            for (int i = 0; i < LossTerms.Names.Count; i++)
            {
                text.Append(',');
                if (validation is not null)
                {
                    text.Append(Format(validation[i]));
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

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="FormatException">The text is not a history.</exception>
    public static TrainingHistory FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var history = new TrainingHistory();
        try
        {
            foreach (var node in JsonNode.Parse(json)!.AsArray())
            {
                var item = node!.AsObject();
                history.Add(new EpochRecord(
                    item["epoch"]!.GetValue<int>(),
                    ReadTerms(item["train"]!),
                    item["validation"] is { } validation ? ReadTerms(validation) : null,
                    ReadNumber(item["learningRate"]!),
                    ReadNumber(item["seconds"]!),
                    item["metrics"] is { } metrics ? ReadMetrics(metrics) : null));
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new FormatException($"The training history is not valid: {exception.Message}", exception);
        }

        return history;
    }

    /// <summary>Writes history.csv and history.json into <paramref name="folder"/>, atomically.</summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, "history.csv"), Encoding.UTF8.GetBytes(ToCsv()));
        AtomicFile.WriteAllBytes(Path.Combine(folder, "history.json"), Encoding.UTF8.GetBytes(ToJson()));
    }

    private static JsonObject Terms(LossTerms terms)
    {
        var values = terms.Values();
        var item = new JsonObject();
        for (int i = 0; i < values.Length; i++)
        {
            item[LossTerms.Names[i]] = Number(values[i]);
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

    private static LossTerms ReadTerms(JsonNode node)
    {
        var item = node.AsObject();
        double Get(string name) => ReadNumber(item[name] ?? throw new FormatException($"missing term '{name}'"));
        return new LossTerms(Get("loss"), Get("reconstruction"), Get("kl"), Get("mmd"), Get("sparsity"));
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
