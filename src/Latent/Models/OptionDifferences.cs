using System.Text.Json.Nodes;

namespace Latent.Models;

/// <summary>One option that differs between two sets of autoencoder options, each side as "name value" for messages.</summary>
/// <param name="Before">The first side's value, e.g. "preset vae".</param>
/// <param name="After">The second side's value, e.g. "preset ae".</param>
internal readonly record struct OptionDifference(string Before, string After);

/// <summary>The options in which two <see cref="AutoencoderOptions"/> (or two <see cref="AdversarialOptions"/>) differ, compared as the model file stores them.</summary>
internal static class OptionDifferences
{
    /// <summary>
    /// Every option whose stored (JSON) value differs between <paramref name="before"/> and <paramref name="after"/>,
    /// in the order the options are stored. Comparing the stored form means that what a model file would record
    /// differently is a difference, and nothing else is.
    /// </summary>
    public static IReadOnlyList<OptionDifference> Between(AutoencoderOptions before, AutoencoderOptions after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Between(before.ToJson(), after.ToJson());
    }

    /// <summary>The same for two adversarial networks' options.</summary>
    public static IReadOnlyList<OptionDifference> Between(AdversarialOptions before, AdversarialOptions after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Between(before.ToJson(), after.ToJson());
    }

    private static List<OptionDifference> Between(string beforeJson, string afterJson)
    {
        var left = (JsonObject)JsonNode.Parse(beforeJson)!;
        var right = (JsonObject)JsonNode.Parse(afterJson)!;
        var differences = new List<OptionDifference>();
        foreach (string name in left.Select(p => p.Key).Union(right.Select(p => p.Key), StringComparer.Ordinal))
        {
            string a = Describe(left[name]), b = Describe(right[name]);
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                differences.Add(new OptionDifference($"{name} {a}", $"{name} {b}"));
            }
        }

        return differences;
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "(none)",
        JsonValue v when v.TryGetValue(out string? text) => text.Length == 0 ? "(none)" : text,
        _ => value.ToJsonString(),
    };
}
