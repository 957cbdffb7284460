using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latent.Nn;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// Saves an autoencoder to one .safetensors file and loads it back: the parameters under their PyTorch
/// names, the preset and options as JSON in the metadata.
/// </summary>
public static class ModelFile
{
    /// <summary>The metadata key holding the file kind.</summary>
    public const string FormatKey = "latent.format";

    /// <summary>The metadata key holding the preset name.</summary>
    public const string PresetKey = "latent.preset";

    /// <summary>The metadata key holding the options JSON.</summary>
    public const string OptionsKey = "latent.options";

    /// <summary>The file kind written in <see cref="FormatKey"/>.</summary>
    /// <remarks>
    /// Version 2 stores the encoder and decoder as architecture descriptions and the input shape. Version 1
    /// (hidden widths, the decoder mirroring them) still loads: its widths become encoder "fc…" layers in order
    /// and decoder layers in reverse, which builds the same model. Newer versions are refused.
    /// </remarks>
    public const string Format = FormatName + "/2";

    /// <summary>The format name before the version in <see cref="FormatKey"/>.</summary>
    private const string FormatName = "autoencoder";

    /// <summary>The format version this reader writes and the newest it reads.</summary>
    private const int FormatVersion = 2;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically, with extra metadata if given.</summary>
    public static void Save(Autoencoder model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensors.Write(path, model.StateDict(), Metadata(model, extraMetadata));
    }

    /// <summary>The metadata that describes <paramref name="model"/>.</summary>
    public static Dictionary<string, string> Metadata(Autoencoder model, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = Format,
            [PresetKey] = model.Options.Preset,
            [OptionsKey] = model.Options.ToJson(),
        };
        if (extra is not null)
        {
            foreach ((string key, string value) in extra)
            {
                metadata[key] = value;
            }
        }

        return metadata;
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a Latent autoencoder, or a tensor is missing or misshapen.</exception>
    public static Autoencoder Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Read(path);
        return FromTensors(file.Tensors, file.Metadata, path, prefix: string.Empty);
    }

    /// <summary>Rebuilds a model from tensors named <paramref name="prefix"/> + parameter name and the metadata.</summary>
    internal static Autoencoder FromTensors(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata, string path, string prefix)
    {
        int version = Version(metadata, path);
        if (!metadata.TryGetValue(OptionsKey, out string? json))
        {
            throw new DataFormatException(path, $"metadata '{OptionsKey}' is missing.");
        }

        AutoencoderOptions options;
        try
        {
            options = AutoencoderOptions.FromJson(version == 1 ? UpgradeVersion1(json) : json);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new DataFormatException(path, $"metadata '{OptionsKey}': {exception.Message}", exception);
        }

        var state = ReadState(tensors, prefix, path);

        // The options may describe a model far larger than the file (hidden layers of 20,000 units in a file of a
        // few hundred kilobytes): the tensors are compared with the names and shapes the options imply before any
        // model is allocated.
        CheckLayout(() => ModelLayout.Of(options), state, path);
        var model = new Autoencoder(options);

        try
        {
            model.LoadStateDict(state);
        }
        catch (ArgumentException exception)
        {
            throw new DataFormatException(path, exception.Message, exception);
        }

        return model;
    }

    /// <summary>The tensors named <paramref name="prefix"/> + name, by name, each checked to be finite.</summary>
    internal static Dictionary<string, Tensor> ReadState(IReadOnlyDictionary<string, Tensor> tensors, string prefix, string path)
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                // Weights that are NaN or infinite would encode everything to NaN and leave the data to take the blame.
                if (FiniteValues.FirstNonFinite(tensor.Span) is int index)
                {
                    throw new DataFormatException(path, $"tensor '{name}' holds {tensor.Span[index]} at element {index}; a model's weights must be finite.");
                }

                state[name[prefix.Length..]] = tensor;
            }
        }

        return state;
    }

    /// <summary>
    /// Throws, naming the first few differences, unless <paramref name="state"/> holds exactly the tensors, with
    /// the shapes, of the <paramref name="layoutOfOptions"/> the options describe. Allocates nothing of the model's size.
    /// </summary>
    internal static void CheckLayout(Func<IReadOnlyList<KeyValuePair<string, int[]>>> layoutOfOptions, IReadOnlyDictionary<string, Tensor> state, string path)
    {
        IReadOnlyList<KeyValuePair<string, int[]>> layout;
        try
        {
            layout = layoutOfOptions();
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new DataFormatException(path, $"metadata '{OptionsKey}': {exception.Message}", exception);
        }

        const int Shown = 5;
        var problems = new List<string>();
        int count = 0;
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, int[] shape) in layout)
        {
            expected.Add(name);
            string? problem = !state.TryGetValue(name, out Tensor? tensor)
                ? $"missing '{name}' (shape {Shape(shape)})"
                : !tensor.Shape.AsSpan().SequenceEqual(shape)
                    ? $"'{name}' has shape {Shape(tensor.Shape)} in the file but {Shape(shape)} in the options"
                    : null;
            if (problem is not null && count++ < Shown)
            {
                problems.Add(problem);
            }
        }

        foreach (string name in state.Keys)
        {
            if (!expected.Contains(name) && count++ < Shown)
            {
                problems.Add($"unexpected '{name}'");
            }
        }

        if (count == 0)
        {
            return;
        }

        long wanted = ModelLayout.Values(layout);
        long held = state.Values.Sum(t => (long)t.Length);
        string size = string.Create(CultureInfo.InvariantCulture, $"the options describe a model of {wanted:N0} values, the file holds {held:N0}");
        string more = count > Shown ? string.Create(CultureInfo.InvariantCulture, $"; and {count - Shown} more") : string.Empty;
        throw new DataFormatException(path, $"the tensors do not fit the model the options describe ({size}): {string.Join("; ", problems)}{more}.");
    }

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>The format version of a file's metadata: 1 or 2; anything else is refused by name.</summary>
    private static int Version(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (AdversarialModelFile.Holds(metadata))
        {
            throw new DataFormatException(path, $"holds a generative adversarial network ('{metadata.GetValueOrDefault(PresetKey)}'), not an autoencoder: read it with AdversarialModelFile.Load.");
        }

        if (!metadata.TryGetValue(FormatKey, out string? format) || !format.StartsWith(FormatName + "/", StringComparison.Ordinal))
        {
            throw new DataFormatException(path, $"not a Latent autoencoder (metadata '{FormatKey}' is '{format ?? "missing"}', expected '{Format}').");
        }

        string number = format[(FormatName.Length + 1)..];
        if (number.Length > 0 && number.All(char.IsAsciiDigit)
            && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int version)
            && version is >= 1 and <= FormatVersion)
        {
            return version;
        }

        throw new DataFormatException(path,
            $"the model file's format '{format}' is not one this version of Latent reads; it reads '{FormatName}/1' to '{Format}' (a newer Latent may have written it).");
    }

    /// <summary>
    /// Version-1 options as version-2 JSON: "hidden": [h₁, …, hₙ] becomes "encoder": "fch₁,…,fchₙ" and
    /// "decoder": "fchₙ,…,fch₁", the mirror version 1 built implicitly. Everything else is unchanged.
    /// </summary>
    private static string UpgradeVersion1(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("The autoencoder options are not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The autoencoder options are not valid JSON: {exception.Message}", exception);
        }

        foreach (string key in (string[])["encoder", "decoder", "inputShape"])
        {
            if (root.ContainsKey(key))
            {
                throw new FormatException($"The autoencoder options of format '{FormatName}/1' have '{key}', which that format does not have.");
            }
        }

        if (!root.Remove("hidden", out var hiddenNode) || hiddenNode is not JsonArray hiddenArray)
        {
            throw new FormatException($"The autoencoder options of format '{FormatName}/1' need 'hidden', an array of layer widths.");
        }

        var hidden = new int[hiddenArray.Count];
        for (int i = 0; i < hidden.Length; i++)
        {
            if (hiddenArray[i] is not JsonValue value || !value.TryGetValue(out int width) || width < 1)
            {
                throw new FormatException($"The autoencoder option 'hidden' has '{hiddenArray[i]?.ToJsonString()}' at {i}; expected a width of at least 1.");
            }

            hidden[i] = width;
        }

        root["encoder"] = Architecture.FullyConnected(hidden);
        root["decoder"] = Architecture.FullyConnected(hidden.Reverse());
        return root.ToJsonString();
    }

    /// <summary>A float as round-trip invariant text, for metadata.</summary>
    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
