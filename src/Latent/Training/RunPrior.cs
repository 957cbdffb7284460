using Latent.Data;
using Latent.Models;
using Latent.Serialization;

namespace Latent.Training;

/// <summary>
/// The prior a run's samples are drawn from, found or fitted by <see cref="Resolve"/>: the prior itself, the file
/// it was saved to or loaded from, whether it was reused, and the data set it was fitted to.
/// </summary>
/// <param name="Prior">The prior.</param>
/// <param name="Path">Its file (null for the standard normal, which has none).</param>
/// <param name="Reused">Whether it was loaded from a file fitted earlier rather than fitted now.</param>
/// <param name="DataName">The data set it was fitted to now (null when reused or standard).</param>
public sealed record RunPrior(CodePrior Prior, string? Path, bool Reused, string? DataName)
{
    /// <summary>
    /// The prior file of <paramref name="runOrFile"/> for <paramref name="spec"/>: <c>RUN/prior-NAME.safetensors</c>
    /// for a run folder, <c>MODEL.prior-NAME.safetensors</c> beside a model file.
    /// </summary>
    public static string FilePath(string runOrFile, CodePriorSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(runOrFile);
        return Directory.Exists(runOrFile)
            ? System.IO.Path.Combine(runOrFile, $"prior-{spec.Name}.safetensors")
            : System.IO.Path.ChangeExtension(runOrFile, null) + $".prior-{spec.Name}.safetensors";
    }

    /// <summary>The data set a run's model was trained on, as its file's <see cref="RunFiles.DataMetadataKey"/> names it, or null.</summary>
    public static string? TrainingDataName(string runOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(runOrFile);
        string path = Directory.Exists(runOrFile) ? RunFiles.ModelPath(runOrFile) : runOrFile;
        return SafeTensors.ReadMetadata(path).GetValueOrDefault(RunFiles.DataMetadataKey);
    }

    /// <summary>
    /// The prior <paramref name="spec"/> for the model of <paramref name="runOrFile"/>: the standard normal as is; a
    /// fitted prior loaded from <see cref="FilePath"/> when that file is newer than the model, else fitted to the
    /// codes of the training data and saved there (atomically) for the next time.
    /// </summary>
    /// <param name="runOrFile">The run folder or model file.</param>
    /// <param name="model">Its model, loaded.</param>
    /// <param name="spec">The prior wanted.</param>
    /// <param name="loadData">Loads a data set by name or path (scaled as for training).</param>
    /// <param name="data">The data to fit to, or null for the data set named in the model file's metadata.</param>
    /// <param name="refit">Fit again even when a saved prior exists.</param>
    /// <param name="seed">The seed of the fit.</param>
    /// <exception cref="ArgumentException">A fit is needed and no data are given or named in the model file.</exception>
    public static RunPrior Resolve(string runOrFile, Autoencoder model, CodePriorSpec spec, Func<string, IFeatureSource> loadData, string? data = null, bool refit = false, ulong seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(runOrFile);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loadData);
        if (!spec.IsFitted)
        {
            return new RunPrior(CodePrior.Standard(model.Latent), null, false, null);
        }

        string path = FilePath(runOrFile, spec);
        string modelPath = Directory.Exists(runOrFile) ? RunFiles.ModelPath(runOrFile) : runOrFile;
        if (!refit && data is null && File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(modelPath))
        {
            return new RunPrior(CodePrior.Load(path, spec, model.Latent), path, true, null);
        }

        string name = data ?? TrainingDataName(runOrFile)
            ?? throw new ArgumentException($"{modelPath} does not name its training data (no '{RunFiles.DataMetadataKey}' in its metadata): give the data to fit the {spec.Name} prior to with --data.");
        CodePrior.Fit(model, loadData(name), spec, seed).Save(path);

        // Read back what was saved (float32), so that a prior fitted now and the same prior reused later draw the same codes.
        return new RunPrior(CodePrior.Load(path, spec, model.Latent), path, false, name);
    }
}
