using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>How much work the beta-VAE disentanglement metric spends.</summary>
public sealed record BetaVaeMetricOptions
{
    /// <summary>L: the pairs of items averaged into one training point (the paper: 64).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Points the linear classifier is fitted on.</summary>
    public int TrainPoints { get; init; } = 500;

    /// <summary>Points the classifier's accuracy is measured on (not seen in fitting).</summary>
    public int TestPoints { get; init; } = 250;

    /// <summary>The seed of every random draw.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every value and returns these options.</summary>
    public BetaVaeMetricOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(TrainPoints, 2, nameof(TrainPoints));
        ArgumentOutOfRangeException.ThrowIfLessThan(TestPoints, 1, nameof(TestPoints));
        return this;
    }
}

/// <summary>The beta-VAE metric's result.</summary>
/// <param name="Accuracy">The classifier's accuracy on the test points: the score (1 = every fixed factor recognised).</param>
/// <param name="TrainAccuracy">Its accuracy on the points it was fitted on.</param>
/// <param name="Chance">The accuracy of guessing, 1 / (number of factors).</param>
/// <param name="Options">The options used.</param>
public sealed record BetaVaeMetricResult(double Accuracy, double TrainAccuracy, double Chance, BetaVaeMetricOptions Options);

/// <summary>
/// The disentanglement metric of Higgins et al. (2017, the β-VAE paper, section 3): how well a linear
/// classifier tells which generative factor was held fixed from the codes of pairs of items.
/// </summary>
/// <remarks>
/// One point: draw a factor y uniformly; for l = 1 … L draw two items v₁,ₗ and v₂,ₗ with every factor uniform
/// except that they share factor y (v₂,ₗ[y] = v₁,ₗ[y]); encode them to z₁,ₗ and z₂,ₗ (the posterior means) and
/// average z_diff = (1/L) Σₗ |z₁,ₗ − z₂,ₗ| (element-wise). A linear classifier (softmax regression,
/// <see cref="LogisticRegression"/>) is fitted to predict y from z_diff on the training points; the score is
/// its accuracy on fresh test points. A code whose every unit follows one factor makes the fixed factor's unit
/// the one with the smallest difference, so the score nears 1; a code that ignores the factors scores chance,
/// 1 / (number of factors).
/// </remarks>
public static class BetaVaeMetric
{
    /// <summary>The metric of <paramref name="model"/>'s posterior means on items drawn from <paramref name="source"/>.</summary>
    public static BetaVaeMetricResult Measure(Autoencoder model, IFactorSource source, BetaVaeMetricOptions? options = null) =>
        Measure(FactorCodes.Of(model, source), source, options);

    /// <summary>The metric of the codes <paramref name="encode"/> gives the items of <paramref name="source"/> (see <see cref="FactorCodes"/>).</summary>
    public static BetaVaeMetricResult Measure(Func<int[], Tensor> encode, IFactorSource source, BetaVaeMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encode);
        FactorCodes.Check(source);
        options = (options ?? new BetaVaeMetricOptions()).Validate();
        var rng = new Rng(options.Seed);
        var (train, trainLabels, latent) = Points(encode, source, options.TrainPoints, options.BatchSize, rng, null);
        var (test, testLabels, _) = Points(encode, source, options.TestPoints, options.BatchSize, rng, latent);
        var classifier = LogisticRegression.Fit(train, trainLabels, latent);
        return new BetaVaeMetricResult(classifier.Accuracy(test, testLabels), classifier.Accuracy(train, trainLabels), 1.0 / source.FactorSizes.Count, options);
    }

    // count points: z_diff [count × latent] and the fixed factor of each.
    private static (float[] Features, int[] Labels, int Latent) Points(Func<int[], Tensor> encode, IFactorSource source, int count, int pairs, Rng rng, int? latent)
    {
        int factorCount = source.FactorSizes.Count;
        var labels = new int[count];
        float[]? features = null;
        Span<int> factors = stackalloc int[factorCount];
        int perCall = Math.Max(1, FactorCodes.Chunk / (2 * pairs));
        for (int start = 0; start < count; start += perCall)
        {
            int points = Math.Min(perCall, count - start);
            var items = new int[points * 2 * pairs];
            for (int p = 0; p < points; p++)
            {
                int y = rng.NextInt(factorCount);
                labels[start + p] = y;
                for (int l = 0; l < pairs; l++)
                {
                    int first = FactorCodes.RandomItem(source, rng, factors);
                    items[(((p * pairs) + l) * 2) + 0] = first;
                    items[(((p * pairs) + l) * 2) + 1] = FactorCodes.RandomItem(source, rng, factors, y, factors[y]);
                }
            }

            var codes = FactorCodes.Encode(encode, items, latent);
            latent ??= codes.Columns;
            int d = latent.Value;
            features ??= new float[count * d];
            for (int p = 0; p < points; p++)
            {
                var difference = features.AsSpan((start + p) * d, d);
                for (int l = 0; l < pairs; l++)
                {
                    int row = ((p * pairs) + l) * 2;
                    var a = codes.Row(row);
                    var b = codes.Row(row + 1);
                    for (int j = 0; j < d; j++)
                    {
                        difference[j] += MathF.Abs(a[j] - b[j]) / pairs;
                    }
                }
            }
        }

        return (features!, labels, latent!.Value);
    }
}
