using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// Saves an adversarial network to one .safetensors file and loads it back: the parameters and batch-norm buffers
/// under their PyTorch names (generator.*, discriminator.*, critic.*, recognition.*), the preset and options as JSON
/// in the metadata (the keys of <see cref="ModelFile"/>, with format <see cref="Format"/>).
/// </summary>
public static class AdversarialModelFile
{
    /// <summary>The file kind written in <see cref="ModelFile.FormatKey"/>.</summary>
    public const string Format = FormatName + "/1";

    private const string FormatName = "adversarial";

    /// <summary>Whether a file's metadata marks an adversarial network (of any version).</summary>
    public static bool Holds(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(ModelFile.FormatKey, out string? format) && format.StartsWith(FormatName + "/", StringComparison.Ordinal);
    }

    /// <summary>Whether the model file at <paramref name="path"/> holds an adversarial network (reads its header only).</summary>
    public static bool Holds(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Holds(SafeTensors.ReadMetadata(path));
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> atomically, with extra metadata if given.</summary>
    public static void Save(AdversarialNetwork network, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensors.Write(path, network.StateDict(), Metadata(network, extraMetadata));
    }

    /// <summary>The metadata that describes <paramref name="network"/>.</summary>
    public static Dictionary<string, string> Metadata(AdversarialNetwork network, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelFile.FormatKey] = Format,
            [ModelFile.PresetKey] = network.Options.Preset,
            [ModelFile.OptionsKey] = network.Options.ToJson(),
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

    /// <summary>Reads a network written by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a Latent adversarial network, or a tensor is missing, misshapen or not finite.</exception>
    public static AdversarialNetwork Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = SafeTensors.Read(path);
        return FromTensors(file.Tensors, file.Metadata, path, prefix: string.Empty);
    }

    /// <summary>Rebuilds a network from tensors named <paramref name="prefix"/> + parameter name and the metadata.</summary>
    internal static AdversarialNetwork FromTensors(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata, string path, string prefix)
    {
        if (!metadata.TryGetValue(ModelFile.FormatKey, out string? format) || format != Format)
        {
            throw new DataFormatException(path, Holds(metadata)
                ? $"the model file's format '{format}' is not one this version of Latent reads; it reads '{Format}' (a newer Latent may have written it)."
                : $"not a Latent adversarial network (metadata '{ModelFile.FormatKey}' is '{format ?? "missing"}', expected '{Format}').");
        }

        if (!metadata.TryGetValue(ModelFile.OptionsKey, out string? json))
        {
            throw new DataFormatException(path, $"metadata '{ModelFile.OptionsKey}' is missing.");
        }

        AdversarialOptions options;
        try
        {
            options = AdversarialOptions.FromJson(json);
        }
        catch (FormatException exception)
        {
            throw new DataFormatException(path, $"metadata '{ModelFile.OptionsKey}': {exception.Message}", exception);
        }

        var state = ModelFile.ReadState(tensors, prefix, path);
        ModelFile.CheckLayout(() => ModelLayout.Of(options), state, path);
        var network = new AdversarialNetwork(options);
        try
        {
            network.LoadStateDict(state);
        }
        catch (ArgumentException exception)
        {
            throw new DataFormatException(path, exception.Message, exception);
        }

        return network;
    }
}
