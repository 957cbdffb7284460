using System.Globalization;
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
    public const string Format = "autoencoder/1";

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
        if (!metadata.TryGetValue(FormatKey, out string? format) || format != Format)
        {
            throw new DataFormatException(path, $"not a Latent autoencoder (metadata '{FormatKey}' is '{format ?? "missing"}', expected '{Format}').");
        }

        if (!metadata.TryGetValue(OptionsKey, out string? json))
        {
            throw new DataFormatException(path, $"metadata '{OptionsKey}' is missing.");
        }

        AutoencoderOptions options;
        try
        {
            options = AutoencoderOptions.FromJson(json);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new DataFormatException(path, $"metadata '{OptionsKey}': {exception.Message}", exception);
        }

        var model = new Autoencoder(options);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                state[name[prefix.Length..]] = tensor;
            }
        }

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

    /// <summary>A float as round-trip invariant text, for metadata.</summary>
    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
