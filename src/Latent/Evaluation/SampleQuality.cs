using System.Diagnostics;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// Sample quality and diversity of a generator's images against held-out real images, in the feature space of a
/// <see cref="FeatureClassifier"/>: the Fréchet distance (lower is better), the classes found among the samples
/// and the entropy of their histogram (mode collapse lowers both), and k-NN precision and recall.
/// </summary>
/// <remarks>
/// This is not the FID of Heusel et al. (2017), which uses Inception-v3 features of natural images: the numbers
/// depend on the data set's own classifier and are comparable only between generators measured on the same data
/// set (and the same classifier cache). Any generator can be measured: pass its samples as rows of pixels.
/// </remarks>
/// <param name="Samples">Generated items measured.</param>
/// <param name="ReferenceItems">Held-out real items compared with.</param>
/// <param name="Frechet">The Fréchet distance between the two feature sets.</param>
/// <param name="Coverage">Classes the classifier finds among the samples.</param>
/// <param name="ReferenceCoverage">The same of the real items, for scale.</param>
/// <param name="ManifoldItems">Items of each set behind <paramref name="Precision"/> and <paramref name="Recall"/>.</param>
/// <param name="Precision">Share of samples inside the real items' k-NN manifold (k = <see cref="ManifoldPrecisionRecall.DefaultK"/>).</param>
/// <param name="Recall">Share of real items inside the samples' k-NN manifold.</param>
/// <param name="ClassifierHeldOutError">The classifier's error on the part of the data held out of its training.</param>
/// <param name="ClassifierFromCache">Whether the classifier was read from its cache.</param>
/// <param name="Seconds">Seconds spent measuring (classifier training excluded).</param>
public sealed record SampleQuality(
    int Samples,
    int ReferenceItems,
    double Frechet,
    ClassCoverage Coverage,
    ClassCoverage ReferenceCoverage,
    int ManifoldItems,
    double Precision,
    double Recall,
    double ClassifierHeldOutError,
    bool ClassifierFromCache,
    double Seconds)
{
    /// <summary>Default number of items of each set behind precision and recall (their cost is quadratic in it).</summary>
    public const int DefaultManifoldItems = 5000;

    /// <summary>
    /// Measures generated <paramref name="samples"/> [n, inputs] against real <paramref name="reference"/> [m, inputs];
    /// precision and recall use the first <paramref name="manifoldItems"/> rows of each.
    /// </summary>
    /// <exception cref="ArgumentException">A set has the wrong width or fewer than 2 rows (more than k for the manifolds).</exception>
    public static SampleQuality Measure(FeatureClassifier classifier, Tensor samples, Tensor reference, int manifoldItems = DefaultManifoldItems)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(manifoldItems, ManifoldPrecisionRecall.DefaultK);
        if (samples.Rank != 2 || samples.Rows <= ManifoldPrecisionRecall.DefaultK || reference.Rank != 2 || reference.Rows <= ManifoldPrecisionRecall.DefaultK)
        {
            throw new ArgumentException($"Sample quality needs more than {ManifoldPrecisionRecall.DefaultK} samples and reference items (got [{string.Join(", ", samples.Shape)}] and [{string.Join(", ", reference.Shape)}]).", nameof(samples));
        }

        var clock = Stopwatch.StartNew();
        var generated = classifier.Features(samples);
        var real = classifier.Features(reference);
        double frechet = FrechetDistance.Between(generated, real);
        var coverage = ClassCoverage.Of(classifier.Classify(generated), classifier.Classes);
        var referenceCoverage = ClassCoverage.Of(classifier.Classify(real), classifier.Classes);
        int manifold = Math.Min(manifoldItems, Math.Min(generated.Rows, real.Rows));
        (double precision, double recall) = ManifoldPrecisionRecall.Measure(FirstRows(real, manifold), FirstRows(generated, manifold));
        return new SampleQuality(samples.Rows, reference.Rows, frechet, coverage, referenceCoverage, manifold, precision, recall,
            classifier.HeldOutError, classifier.FromCache, clock.Elapsed.TotalSeconds);
    }

    private static Tensor FirstRows(Tensor rows, int count)
    {
        if (count == rows.Rows)
        {
            return rows;
        }

        var first = Tensor.Zeros(count, rows.Columns);
        rows.Span[..(count * rows.Columns)].CopyTo(first.Span);
        return first;
    }
}
