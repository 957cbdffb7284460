namespace Latent.Evaluation;

/// <summary>
/// How the classes a classifier assigns spread over a set of samples: a generator that has collapsed onto a
/// few modes yields few classes and a low entropy.
/// </summary>
/// <param name="Classes">The classifier's number of classes.</param>
/// <param name="Found">Classes holding at least <see cref="MinimumShare"/> of a uniform share (N / classes) of the samples.</param>
/// <param name="Entropy">The entropy (nats) of the predicted class histogram; ln(classes) when the classes are equally frequent.</param>
public sealed record ClassCoverage(int Classes, int Found, double Entropy)
{
    /// <summary>
    /// A class counts as found when it holds at least this fraction of its uniform share, so that a few
    /// stray predictions on garbage samples do not count as a covered mode.
    /// </summary>
    public const double MinimumShare = 0.1;

    /// <summary>The share of the classes found, in [0, 1].</summary>
    public double FoundShare => (double)Found / Classes;

    /// <summary>The entropy divided by ln(classes), in [0, 1].</summary>
    public double NormalizedEntropy => Entropy / Math.Log(Classes);

    /// <summary>The coverage of the predicted classes <paramref name="predicted"/> (each in 0..classes − 1).</summary>
    /// <exception cref="ArgumentException">No predictions, fewer than 2 classes, or a prediction out of range.</exception>
    public static ClassCoverage Of(ReadOnlySpan<int> predicted, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (predicted.IsEmpty)
        {
            throw new ArgumentException("No predicted classes to measure the coverage of.", nameof(predicted));
        }

        var counts = new int[classes];
        foreach (int label in predicted)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"Predicted class {label} is outside 0..{classes - 1}.", nameof(predicted));
            }

            counts[label]++;
        }

        double threshold = MinimumShare * predicted.Length / classes;
        int found = 0;
        double entropy = 0;
        foreach (int count in counts)
        {
            found += count > 0 && count >= threshold ? 1 : 0;
            if (count > 0)
            {
                double p = (double)count / predicted.Length;
                entropy -= p * Math.Log(p);
            }
        }

        return new ClassCoverage(classes, found, entropy);
    }
}
