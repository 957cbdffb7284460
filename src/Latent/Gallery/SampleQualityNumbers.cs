using System.Globalization;
using System.Runtime.CompilerServices;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Gallery;

/// <summary>
/// The sample-quality numbers (<see cref="SampleQuality"/>) the figures that show generated samples print: each
/// model's prior samples, many more than the figure draws, measured against one figure's held-out real images in
/// the feature space of the data set's <see cref="FeatureClassifier"/>, with real images outside the reference
/// measured the same way as the floor a perfect generator would reach at that sample size.
/// </summary>
/// <remarks>
/// The classifier is trained on the whole data set once per gallery run (the figures share the loaded data sets,
/// and the classifier is kept per loaded set) and cached in the figure's work folder, as <c>latent eval</c>
/// caches it per data set; with the same seed <c>latent eval --quality-samples</c> trains the same classifier.
/// </remarks>
internal sealed class SampleQualityNumbers
{
    /// <summary>The sub-folder of a figure's work folder that caches the classifier.</summary>
    public const string CacheFolderName = "quality-classifier";

    // Samples are drawn from their own stream, as latent eval draws them, so the pictures keep their draws.
    private const ulong SampleStream = 0x0F1D_5A3B_97E1_C4D2UL;

    private static readonly ConditionalWeakTable<Dataset, Lazy<FeatureClassifier>> s_classifiers = [];

    private readonly FeatureClassifier _classifier;
    private readonly Tensor _reference;
    private readonly ulong _seed;

    private SampleQualityNumbers(FeatureClassifier classifier, Tensor reference, string referenceText, int count, ulong seed)
    {
        _classifier = classifier;
        _reference = reference;
        _seed = seed;
        Count = count;
        Comment = string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} samples against {referenceText} ({reference.Rows:N0}) in the features of a classifier trained on the data set "
            + $"(held-out error {classifier.HeldOutError:P1}); not the Inception FID: comparable only on this data set");
    }

    /// <summary>Samples measured per model.</summary>
    public int Count { get; }

    /// <summary>What was measured against what, for the numbers' comment.</summary>
    public string Comment { get; }

    /// <summary>Samples measured per model at <paramref name="scale"/> (a few seconds a model at quick scale).</summary>
    public static int Samples(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 1000,
        GalleryScale.Quick => 5000,
        _ => 10_000,
    };

    /// <summary>
    /// The measure for <paramref name="context"/>'s figure: samples of models trained on data set
    /// <paramref name="dataName"/> against <paramref name="reference"/>, described as <paramref name="referenceText"/>.
    /// </summary>
    public static SampleQualityNumbers For(GalleryContext context, string dataName, Dataset reference, string referenceText)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reference);
        context.Report("sample quality: the feature classifier", 0.9);
        var data = context.Data(dataName);
        string cache = Path.Combine(context.Folder, CacheFolderName);
        var classifier = s_classifiers.GetValue(data, d => new Lazy<FeatureClassifier>(() => FeatureClassifier.Obtain(d, cache, context.Seed))).Value;
        return new SampleQualityNumbers(classifier, reference.Features, referenceText, Samples(context.Scale), context.Seed);
    }

    /// <summary>The quality of <see cref="Count"/> prior samples of <paramref name="model"/>.</summary>
    public SampleQuality Measure(Autoencoder model) =>
        Measure(Generation.PriorSamples(model, Count, new Rng(_seed ^ SampleStream)));

    /// <summary>The quality of <paramref name="samples"/> (rows of pixels).</summary>
    public SampleQuality Measure(Tensor samples) => SampleQuality.Measure(_classifier, samples, _reference);

    /// <summary>The share of <paramref name="images"/> (rows of pixels) the classifier assigns to each class.</summary>
    public double[] ClassShares(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var counts = new double[_classifier.Classes];
        foreach (int label in _classifier.Classify(_classifier.Features(images)))
        {
            counts[label]++;
        }

        return [.. counts.Select(c => c / images.Rows)];
    }

    /// <summary>The floor: <see cref="Count"/> (or all, if fewer) real images of <paramref name="pool"/>, none of them in the reference.</summary>
    public SampleQuality Floor(Dataset pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Measure(pool.Take(Math.Min(Count, pool.Count)).Features);
    }

    /// <summary>
    /// The numbers of <paramref name="quality"/> for the samples called <paramref name="label"/>: the Fréchet
    /// distance and the classes found (entropy, precision and recall are in <see cref="Table"/>).
    /// </summary>
    public IEnumerable<GalleryNumber> Numbers(string label, SampleQuality quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        yield return new GalleryNumber(Name("Fréchet distance", label), quality.Frechet, null, string.Empty, Comment);
        yield return new GalleryNumber(Name("classes found", label), quality.Coverage.Found, null, $"of {quality.Coverage.Classes}",
            string.Create(CultureInfo.InvariantCulture, $"classes holding at least {ClassCoverage.MinimumShare:P0} of an even share of the samples; the real images: {quality.ReferenceCoverage.Found}"));
    }

    /// <summary>The name of the number <paramref name="measure"/> (e.g. "Fréchet distance") of the samples called <paramref name="label"/>.</summary>
    public static string Name(string measure, string label) => $"{label}: samples' {measure}";

    /// <summary>The figure's table of <paramref name="rows"/> (label, quality).</summary>
    public GalleryTable Table(IEnumerable<(string Label, SampleQuality Quality)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new GalleryTable(
            Invariant($"Sample quality: {Count:N0} samples per model against {_reference.Rows:N0} real images (classifier features; lower Fréchet distance is better; precision and recall with k = {ManifoldPrecisionRecall.DefaultK} neighbours)"),
            ["samples", "Fréchet distance", "classes found", "class entropy (nats)", "precision", "recall"],
            [.. rows.Select(r => Row(r.Label, r.Quality))]).Validate();
    }

    /// <summary>A short line for a panel title: "FD 12.3 · 10/10 classes · P/R .71/.65".</summary>
    public static string Short(SampleQuality quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        return Invariant($"FD {quality.Frechet:F1} · {quality.Coverage.Found}/{quality.Coverage.Classes} classes · P/R {Fraction(quality.Precision)}/{Fraction(quality.Recall)}");
    }

    private static IReadOnlyList<string> Row(string label, SampleQuality quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        return
        [
            label,
            Invariant($"{quality.Frechet:F2}"),
            Invariant($"{quality.Coverage.Found} of {quality.Coverage.Classes}"),
            Invariant($"{quality.Coverage.Entropy:F3}"),
            Invariant($"{quality.Precision:F3}"),
            Invariant($"{quality.Recall:F3}"),
        ];
    }

    // ".71" for 0.71, "1" for 1: two places without the leading zero, to keep panel titles short.
    private static string Fraction(double value) => value >= 0.995 ? "1" : Invariant($"{value:F2}")[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
