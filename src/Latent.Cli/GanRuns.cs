using Latent.Models;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// Loads the model of a run for a command, telling a GAN run (<c>latent train dcgan|infogan</c>) from an autoencoder
/// run: commands that need an encoder refuse a GAN in one line naming the command and the preset.
/// </summary>
internal static class GanRuns
{
    /// <summary>The commands that work on a GAN run, for the refusal's message.</summary>
    internal const string GanCommands = "sample, interpolate, traverse (infogan), eval, report and export";

    /// <summary>The adversarial network of <paramref name="runOrFile"/>, or null when its model file holds something else (or is missing).</summary>
    public static AdversarialNetwork? TryLoad(string runOrFile)
    {
        string path = RunFiles.ModelFileOf(runOrFile);
        return File.Exists(path) && Metadata(path) is { } metadata && AdversarialModelFile.Holds(metadata)
            ? AdversarialModelFile.Load(path)
            : null;
    }

    /// <summary>
    /// The autoencoder of <paramref name="runOrFile"/> for command <paramref name="command"/>; a GAN run is refused
    /// naming the command and the preset (the loader alone would only say the file is not an autoencoder).
    /// </summary>
    /// <exception cref="ArgumentException">The run is a GAN's.</exception>
    public static Autoencoder LoadAutoencoder(string runOrFile, string command)
    {
        try
        {
            return RunFiles.LoadModel(runOrFile);
        }
        catch (DataFormatException)
        {
            Refuse(runOrFile, command, "an autoencoder (an encoder and a decoder)");
            throw;
        }
    }

    /// <summary>
    /// Throws a one-line error naming <paramref name="command"/> and the GAN preset when <paramref name="runOrFile"/>
    /// holds a GAN, for a command that needs <paramref name="needs"/>; otherwise returns.
    /// </summary>
    /// <exception cref="ArgumentException">The run is a GAN's.</exception>
    public static void Refuse(string runOrFile, string command, string needs)
    {
        string path = RunFiles.ModelFileOf(runOrFile);
        if (File.Exists(path) && Metadata(path) is { } metadata && AdversarialModelFile.Holds(metadata))
        {
            string preset = metadata.GetValueOrDefault(ModelFile.PresetKey, "adversarial");
            throw new ArgumentException(
                $"latent {command} needs {needs}; {runOrFile} is a {preset} GAN run, a generator without an encoder. A GAN run works with {GanCommands}.");
        }
    }

    // The header only; a file that is no safetensors at all leaves the loader's own message.
    private static IReadOnlyDictionary<string, string>? Metadata(string path)
    {
        try
        {
            return SafeTensors.ReadMetadata(path);
        }
        catch (DataFormatException)
        {
            return null;
        }
    }
}
