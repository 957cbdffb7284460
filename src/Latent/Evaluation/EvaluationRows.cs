using System.Globalization;
using System.Text.Json.Nodes;

namespace Latent.Evaluation;

/// <summary>
/// The table rows of an evaluation, read from its JSON form (<see cref="ModelEvaluation.ToJson"/>), so a table
/// made from a run's eval.json reads exactly as the one <c>latent eval</c> printed when it wrote the file.
/// </summary>
/// <remarks>
/// Null values are measures that do not apply and make no row; counts that only qualify a measure (samples,
/// items, k) go into that measure's name. Unknown keys (a newer eval.json) are shown under their JSON names.
/// </remarks>
internal static class EvaluationRows
{
    // Every key ModelEvaluation.ToJson writes (it writes them all, null where a measure does not apply): the measures
    // with rows of their own, and the counts and notes shown inside another row's name or value (or not at all).
    private static readonly HashSet<string> s_known = [.. ModelEvaluation.EmptyJson().Select(p => p.Key)];

    /// <summary>The rows of <paramref name="json"/>, in the order <see cref="ModelEvaluation.Rows"/> documents.</summary>
    public static List<(string Name, string Value)> Of(JsonObject json)
    {
        var rows = new List<(string, string)>();
        void Add(string name, string key)
        {
            if (Number(json, key) is { } value)
            {
                rows.Add((name, Format(value)));
            }
        }

        Add("items", "items");
        Add("reconstruction −log p(x|z)", "reconstructionNll");
        Add("reconstruction squared error", "reconstructionSquaredError");
        if (Number(json, "discriminatorRealScore") is { } real && Number(json, "discriminatorFakeScore") is { } fake)
        {
            string samples = Count(json, "discriminatorSamples");
            rows.Add(($"discriminator mean P(real) on {samples} data items", Format(real)));
            rows.Add(($"discriminator mean P(real) on {samples} samples", Format(fake)));
        }

        Add("ELBO", "elbo");
        Add("ELBO reconstruction term", "elboReconstruction");
        Add("ELBO KL term", "elboKl");
        Add("RMS error per dimension, z ~ q(z|x)", "sampledRmsError");
        Add("decoder σ (learned)", "decoderSigma");
        if (Number(json, "logLikelihood") is { } ll)
        {
            rows.Add(($"log p(x), IWAE k={Count(json, "importanceSamples")} on {Count(json, "importanceItems")} items", Format(ll)));
        }

        if (Number(json, "activeUnits") is { } active)
        {
            int dimensions = json["klPerDimension"] is JsonArray kl ? kl.Count : 0;
            rows.Add(("active units (Cov μ > 0.01)", string.Create(CultureInfo.InvariantCulture, $"{active} of {dimensions}")));
        }

        Add("linear probe accuracy", "probeAccuracy");
        if (Number(json, "clusterAccuracy") is not null)
        {
            string k = Count(json, "clusters");
            Add($"k-means (k={k}) accuracy", "clusterAccuracy");
            Add($"k-means (k={k}) NMI", "nmi");
            Add($"k-means (k={k}) ARI", "ari");
        }

        Add("MMD²(q(z), p(z))", "mmd");
        if (Number(json, "betaVaeMetric") is { } metric)
        {
            string chance = Number(json, "betaVaeMetricChance") is { } c ? Format(c) : "?";
            rows.Add(($"beta-VAE metric (accuracy, chance {chance})", Format(metric)));
        }

        if (Number(json, "mig") is { } mig)
        {
            rows.Add(("MIG (mutual information gap)", Format(mig)));
            foreach ((string factor, JsonNode? value) in json["migPerFactor"] as JsonObject ?? [])
            {
                rows.Add(($"  MIG of {factor}", Value(value) is { } v && !double.IsNaN(v) ? Format(v) : "constant"));
            }
        }

        if (json["sampleQuality"] is JsonObject quality)
        {
            AddQuality(rows, quality);
        }
        else if (Text(json, "sampleQualityNote") is { } note)
        {
            rows.Add(("sample quality", note));
        }

        if (Text(json, "skipped") is { } skipped)
        {
            rows.Add(("not measured", skipped));
        }

        foreach ((string key, JsonNode? value) in json)
        {
            if (value is not null && !s_known.Contains(key))
            {
                rows.Add((key, Value(value) is { } v ? Format(v) : Text(json, key) ?? value.ToJsonString()));
            }
        }

        return rows;
    }

    private static void AddQuality(List<(string, string)> rows, JsonObject quality)
    {
        string k = Count(quality, "manifoldK"), items = Count(quality, "manifoldItems");
        string Measure(string key) => Number(quality, key) is { } v ? Format(v) : "–";
        rows.Add(($"Fréchet distance, {Count(quality, "samples")} samples vs data (classifier features; not FID)", Measure("frechetDistance")));
        rows.Add(("classes found among samples (data)", $"{Count(quality, "classesFound")} of {Count(quality, "classes")} ({Count(quality, "referenceClassesFound")})"));
        rows.Add(("class entropy of samples, nats (data)", $"{Measure("classEntropy")} ({Measure("referenceClassEntropy")})"));
        rows.Add(($"precision, k={k} NN on {items}", Measure("precision")));
        rows.Add(($"recall, k={k} NN on {items}", Measure("recall")));
        bool cached = quality["classifierFromCache"] is JsonValue flag && flag.TryGetValue(out bool b) && b;
        rows.Add(("quality classifier held-out error", $"{Measure("classifierHeldOutError")}{(cached ? " (cached)" : string.Empty)}"));
    }

    // A number, or one of the strings "NaN", "Infinity", "-Infinity" that ToJson writes for them; else null.
    private static double? Number(JsonObject json, string key) => Value(json[key]);

    private static double? Value(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue(out double d) => d,
        JsonValue value when value.TryGetValue(out int i) => i,
        JsonValue value when value.TryGetValue(out long l) => l,
        JsonValue value when value.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };

    private static string? Text(JsonObject json, string key) => json[key] is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    private static string Count(JsonObject json, string key) =>
        Number(json, key) is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "?";

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
