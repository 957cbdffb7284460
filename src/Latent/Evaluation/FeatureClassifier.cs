using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Evaluation;

/// <summary>
/// The small classifier whose feature space the sample-quality measures (<see cref="SampleQuality"/>) work in:
/// an MLP (<see cref="Hidden"/> ReLU units, then a linear <see cref="FeatureSize"/>-unit code, then the softmax
/// head) trained by Latent on the labelled evaluation data set once and cached.
/// </summary>
/// <remarks>
/// Its features are the code before the head. It plays the part Inception-v3 plays in the FID, but it is trained
/// on the one data set, so its distances are comparable only between models measured on that data set.
/// The cache file is <c>NAME-ITEMS-FINGERPRINT.safetensors</c> in the cache folder (default
/// <see cref="DefaultCacheFolder"/>), the fingerprint being XXH3 of the items' values and labels; its metadata
/// repeats the key, and a file that does not load or whose key differs is retrained and overwritten, never used.
/// </remarks>
public sealed class FeatureClassifier
{
    /// <summary>Hidden units of the classifier's one hidden layer.</summary>
    public const int Hidden = 256;

    /// <summary>Size of the feature vector (the code before the head).</summary>
    public const int FeatureSize = 64;

    /// <summary>Training epochs (Adam, rate 10⁻³, batches of 128).</summary>
    public const int Epochs = 8;

    private const string KeyMetadata = "latent.quality.key";
    private const string ErrorMetadata = "latent.quality.heldOutError";
    private const int Version = 1;

    private readonly Classifier _classifier;
    private readonly float[] _headWeight;
    private readonly float[] _headBias;

    private FeatureClassifier(Classifier classifier, double heldOutError, bool cached, string? path)
    {
        _classifier = classifier;
        var state = classifier.StateDict();
        _headWeight = state["head.weight"].Span.ToArray();
        _headBias = state["head.bias"].Span.ToArray();
        HeldOutError = heldOutError;
        FromCache = cached;
        Path = path;
    }

    /// <summary>The number of classes.</summary>
    public int Classes => _classifier.Classes;

    /// <summary>The input width.</summary>
    public int Inputs => _classifier.Inputs;

    /// <summary>The error on the 10% of the data held out of its training.</summary>
    public double HeldOutError { get; }

    /// <summary>Whether it was read from the cache rather than trained now.</summary>
    public bool FromCache { get; }

    /// <summary>The cache file, or null when not cached.</summary>
    public string? Path { get; }

    /// <summary><c>$LATENT_DATA/quality-classifiers</c>, else <c>~/.latent/quality-classifiers</c> (beside the data sets), else a folder in the temporary folder.</summary>
    public static string DefaultCacheFolder
    {
        get
        {
            var environment = CatalogEnvironment.FromMachine();
            string root = environment.LatentData
                ?? (environment.HomeDirectory is { } home ? System.IO.Path.Combine(home, ".latent") : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latent"));
            return System.IO.Path.Combine(root, "quality-classifiers");
        }
    }

    /// <summary>
    /// The classifier of <paramref name="data"/>: read from <paramref name="cacheFolder"/> (null: no cache) when a
    /// valid file of the same key is there, else trained (seed <paramref name="seed"/>) and written there.
    /// </summary>
    /// <exception cref="ArgumentException">The data have no labels or fewer than 2 classes, or too few items.</exception>
    public static FeatureClassifier Obtain(Dataset data, string? cacheFolder, ulong seed = 0, Action<string, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.HasLabels || data.ClassCount < 2)
        {
            throw new ArgumentException($"Data '{data.Name}' {(data.HasLabels ? $"have {data.ClassCount} class" : "have no labels")}; the sample-quality classifier needs labels of at least 2 classes.", nameof(data));
        }

        if (data.Count < 20)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Count} items; the sample-quality classifier needs at least 20.", nameof(data));
        }

        string key = Key(data, seed);
        string? path = cacheFolder is null ? null : System.IO.Path.Combine(cacheFolder, $"{Sanitized(data.Name)}-{data.Count}-{key[^16..]}.safetensors");
        if (path is not null && TryLoad(path, key, data) is { } cached)
        {
            return cached;
        }

        var options = Presets.Defaults("ae", data.Dimension) with { Hidden = [Hidden], Latent = FeatureSize, Seed = seed ^ 0xF1D0_C1A5UL };
        var classifier = new Classifier(options, data.ClassCount, seed ^ 0x4EAD_5EEDUL);
        (var train, var heldOut) = data.Split(0.1, seed);
        var result = FineTuning.Train(classifier, train, heldOut, new FineTuningOptions { Epochs = Epochs, Seed = seed }, progress);
        if (path is not null)
        {
            Directory.CreateDirectory(cacheFolder!);
            classifier.Save(path, new Dictionary<string, string>
            {
                [KeyMetadata] = key,
                [ErrorMetadata] = result.HeldOutError.ToString("R", CultureInfo.InvariantCulture),
            });
        }

        return new FeatureClassifier(classifier, result.HeldOutError, cached: false, path);
    }

    /// <summary>The features [n, <see cref="FeatureSize"/>] of the rows of <paramref name="images"/> [n, inputs].</summary>
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank != 2 || images.Columns != Inputs)
        {
            throw new ArgumentException($"Images [{string.Join(", ", images.Shape)}] must be rows of {Inputs} values for this classifier.", nameof(images));
        }

        return _classifier.Features(new TensorSource(images, "samples"));
    }

    /// <summary>The most probable class of each row of <paramref name="features"/> (from <see cref="Features"/>).</summary>
    public int[] Classify(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int d = FeatureSize;
        var classes = new int[features.Rows];
        var logits = new float[Classes];
        for (int i = 0; i < classes.Length; i++)
        {
            var row = features.Row(i);
            for (int c = 0; c < Classes; c++)
            {
                logits[c] = TensorPrimitives.Dot(row, _headWeight.AsSpan(c * d, d)) + _headBias[c];
            }

            classes[i] = TensorPrimitives.IndexOfMax<float>(logits);
        }

        return classes;
    }

    private static FeatureClassifier? TryLoad(string path, string key, Dataset data)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var metadata = SafeTensors.ReadMetadata(path);
            if (metadata.GetValueOrDefault(KeyMetadata) != key
                || !double.TryParse(metadata.GetValueOrDefault(ErrorMetadata), NumberStyles.Float, CultureInfo.InvariantCulture, out double error))
            {
                return null;
            }

            var classifier = Classifier.Load(path);
            if (classifier.Inputs != data.Dimension || classifier.Classes != data.ClassCount || classifier.EncoderOptions.Latent != FeatureSize)
            {
                return null;
            }

            return new FeatureClassifier(classifier, error, cached: true, path);
        }
        catch (Exception exception) when (exception is DataFormatException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            // Corrupt or foreign: retrained and overwritten by the caller.
            return null;
        }
    }

    // Everything the trained weights depend on: the recipe, the data's size, values and labels, and the seed.
    private static string Key(Dataset data, ulong seed)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes(data.Features.Span));
        var labels = new int[data.Count];
        data.CopyLabels(Enumerable.Range(0, data.Count).ToArray(), labels);
        hash.Append(MemoryMarshal.AsBytes(labels.AsSpan()));
        return string.Create(CultureInfo.InvariantCulture, $"v{Version}/mlp{Hidden}-{FeatureSize}/e{Epochs}/seed{seed}/{data.Count}x{data.Dimension}/{hash.GetCurrentHashAsUInt64():x16}");
    }

    private static string Sanitized(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
}
