using System.Diagnostics;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>One epoch of fine-tuning: the mean training cross-entropy and the error on the held-out split after it.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean cross-entropy over the epoch's batches, in nats.</param>
/// <param name="HeldOutError">The fraction of held-out items misclassified after the epoch.</param>
/// <param name="Seconds">The epoch's training time.</param>
public sealed record FineTuningEpoch(int Epoch, double TrainLoss, double HeldOutError, double Seconds);

/// <summary>The outcome of <see cref="FineTuning.Run"/>.</summary>
/// <param name="Model">The trained classifier (its last epoch: the held-out split is not used to choose it).</param>
/// <param name="History">Every epoch's record.</param>
/// <param name="TrainItems">Items trained on.</param>
/// <param name="HeldOutItems">Items the error is measured on.</param>
public sealed record FineTuningResult(Classifier Model, IReadOnlyList<FineTuningEpoch> History, int TrainItems, int HeldOutItems)
{
    /// <summary>The held-out error after the last epoch.</summary>
    public double HeldOutError => History[^1].HeldOutError;
}

/// <summary>
/// Supervised fine-tuning of an autoencoder's encoder: a softmax layer over the classes on the encoding code,
/// the whole network trained end to end with Adam on the cross-entropy of the labels (Makhzani and Frey 2013,
/// Table 3), or the same network from random weights as the baseline without pre-training.
/// </summary>
public static class FineTuning
{
    /// <summary>
    /// Splits <paramref name="data"/> as <see cref="TrainingRun"/> does (<see cref="Dataset.Split"/> with
    /// <see cref="FineTuningOptions.ValidationFraction"/> and <see cref="FineTuningOptions.Seed"/>), trains a
    /// <see cref="Classifier"/> on <paramref name="pretrained"/>'s encoder (or, with
    /// <see cref="FineTuningOptions.FromScratch"/>, on a randomly initialised one of the same architecture) on
    /// the training split, and measures the error on the held-out split after every epoch.
    /// </summary>
    /// <param name="pretrained">The trained autoencoder (not modified).</param>
    /// <param name="data">Labelled data, scaled as the autoencoder was trained.</param>
    /// <param name="options">Epochs, batch size, rate, split and seed.</param>
    /// <param name="progress">Told (stage, fraction done) after every batch, or null.</param>
    /// <exception cref="ArgumentException">The data have no labels, fewer than two classes, or another width than the model's input.</exception>
    public static FineTuningResult Run(Autoencoder pretrained, Dataset data, FineTuningOptions options, Action<string, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pretrained);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!data.HasLabels || data.ClassCount < 2)
        {
            throw new ArgumentException($"Data '{data.Name}' {(data.HasLabels ? $"have {data.ClassCount} class" : "have no labels")}; fine-tuning a classifier needs labels of at least 2 classes.", nameof(data));
        }

        if (data.Dimension != pretrained.Inputs)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the model takes {pretrained.Inputs}.", nameof(data));
        }

        (var train, var heldOut) = data.Split(options.ValidationFraction, options.Seed);
        int classes = data.ClassCount;
        ulong headSeed = options.Seed ^ 0xC1A5_51F1_E4UL;
        var classifier = options.FromScratch
            ? new Classifier(pretrained.Options with { Seed = pretrained.Options.Seed ^ options.Seed ^ 0x5C4A7C4UL }, classes, headSeed)
            : Classifier.FromAutoencoder(pretrained, classes, headSeed);
        return Train(classifier, train, heldOut, options, progress);
    }

    /// <summary>Trains <paramref name="classifier"/> in place on <paramref name="train"/>, measuring the error on <paramref name="heldOut"/> after each epoch.</summary>
    public static FineTuningResult Train(Classifier classifier, Dataset train, Dataset heldOut, FineTuningOptions options, Action<string, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!train.HasLabels || !heldOut.HasLabels)
        {
            throw new ArgumentException($"Fine-tuning needs labels on both splits ('{train.Name}', '{heldOut.Name}').", nameof(train));
        }

        var optimizer = new Adam(classifier.ParameterVars(), options.LearningRate);
        var noise = new Rng(options.Seed ^ 0xD40F_0017UL);
        var history = new List<FineTuningEpoch>();
        using var tape = new Tape();
        using var batcher = new Batcher(train, new BatchOptions { BatchSize = options.BatchSize }, options.Seed, tape.Pool);
        int steps = batcher.BatchesPerEpoch;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            classifier.Train();
            var clock = Stopwatch.StartNew();
            double total = 0;
            foreach (var batch in batcher.NextEpoch())
            {
                var loss = classifier.Loss(tape, batch.Features, batch.Labels.Span, noise);
                double value = loss.Value[0];
                if (!double.IsFinite(value))
                {
                    tape.Reset();
                    throw new TrainingDivergedException(epoch, batch.Number + 1, value, null);
                }

                optimizer.ZeroGrad();
                tape.Backward(loss);
                optimizer.Step();
                tape.Reset();
                total += value * batch.Size;
                progress?.Invoke($"fine-tuning, epoch {epoch}/{options.Epochs}", ((epoch - 1) + ((batch.Number + 1.0) / steps)) / options.Epochs);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            history.Add(new FineTuningEpoch(epoch, total / train.Count, classifier.Error(heldOut), seconds));
        }

        return new FineTuningResult(classifier, history, train.Count, heldOut.Count);
    }
}
