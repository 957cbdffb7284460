using Latent.Data;
using Latent.Models;

namespace Latent.Evaluation;

/// <summary>The error of a linear classifier on a representation, fitted on one split and measured on the other.</summary>
/// <param name="TrainError">The fraction misclassified of the items it was fitted on.</param>
/// <param name="HeldOutError">The fraction misclassified of the held-out items.</param>
/// <param name="TrainItems">Items fitted on.</param>
/// <param name="HeldOutItems">Items held out.</param>
/// <param name="Features">The width of the representation (the input's for raw pixels, the code size otherwise).</param>
public sealed record LinearProbeResult(double TrainError, double HeldOutError, int TrainItems, int HeldOutItems, int Features);

/// <summary>
/// The linear-classifier evaluation of unsupervised features (Makhzani and Frey 2013, Table 1): a
/// <see cref="LogisticRegression"/> fitted on the training split's features (raw inputs, or an autoencoder's
/// encoding codes) and scored on the held-out split.
/// </summary>
public static class LinearProbe
{
    /// <summary>
    /// Splits <paramref name="data"/> as <see cref="Training.TrainingRun"/> does (<see cref="Dataset.Split"/> with
    /// <paramref name="validationFraction"/> and <paramref name="seed"/>: the same seed holds out the items the
    /// autoencoder never saw), fits the probe on the training split's features and measures both errors.
    /// </summary>
    /// <param name="data">Labelled data, scaled as the encoder was trained.</param>
    /// <param name="validationFraction">The held-out fraction, in (0, 1).</param>
    /// <param name="seed">The split's seed.</param>
    /// <param name="encoder">The autoencoder whose encoding codes are the features, or null for the raw inputs.</param>
    /// <param name="iterations">Gradient steps of the probe's fit.</param>
    public static LinearProbeResult Measure(Dataset data, double validationFraction, ulong seed, Autoencoder? encoder = null, int iterations = 300)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.HasLabels || data.ClassCount < 2)
        {
            throw new ArgumentException($"Data '{data.Name}' {(data.HasLabels ? $"have {data.ClassCount} class" : "have no labels")}; a linear probe needs labels of at least 2 classes.", nameof(data));
        }

        if (encoder is not null && encoder.Inputs != data.Dimension)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the model takes {encoder.Inputs}.", nameof(data));
        }

        (var train, var heldOut) = data.Split(validationFraction, seed);
        var trainFeatures = encoder is null ? train.Features : encoder.Encode(train);
        var heldOutFeatures = encoder is null ? heldOut.Features : encoder.Encode(heldOut);
        int width = trainFeatures.Columns;
        var probe = LogisticRegression.Fit(trainFeatures.Span, train.Labels!, width, iterations: iterations);
        double trainError = 1 - probe.Accuracy(trainFeatures.Span, train.Labels!);
        double heldOutError = 1 - probe.Accuracy(heldOutFeatures.Span, heldOut.Labels!);
        return new LinearProbeResult(trainError, heldOutError, train.Count, heldOut.Count, width);
    }
}
