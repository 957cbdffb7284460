using Latent.Classical;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>Runs every applicable measurement of a trained autoencoder or generative adversarial network on a data set.</summary>
public static class Evaluator
{
    // The samples' own random streams, so the other measurements draw what they always drew.
    private const ulong QualityStream = 0x0F1D_5A3B_97E1_C4D2UL;
    private const ulong DiscriminatorStream = 0x6C8E_9CF5_7A3D_21B4UL;

    /// <summary>
    /// Measures <paramref name="model"/> on <paramref name="data"/>: reconstruction; for variational models the
    /// ELBO and its terms, the importance-sampled log p(x), KL per dimension and active units and the MMD of
    /// the aggregate posterior to the prior; with labels, a linear probe (fitted on one half, scored on the
    /// other) and k-means on the codes. <paramref name="progress"/> is told the stage and the fraction done.
    /// Every measurement reads the items through the <see cref="Batcher"/>, so <paramref name="data"/> may be
    /// memory-mapped; only the subsets of the MMD and the importance-sampled likelihood are copied.
    /// When the data set's generative factors are known (<paramref name="factors"/>, or <paramref name="data"/>
    /// itself is an <see cref="IFactorSource"/>), the disentanglement scores too: the beta-VAE metric
    /// (<see cref="BetaVaeMetric"/>) and the mutual information gap (<see cref="MutualInformationGap"/>), on
    /// items drawn from the factors' generator.
    /// </summary>
    public static ModelEvaluation Evaluate(Autoencoder model, IFeatureSource data, EvaluationOptions? options = null, Action<string, double>? progress = null, IFactorSource? factors = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options = (options ?? new EvaluationOptions()).Validate();
        if (data.Dimension != model.Inputs)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the model takes {model.Inputs}.", nameof(data));
        }

        if (data.Count < 2)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Count} items; evaluation needs at least 2.", nameof(data));
        }

        var rng = new Rng(options.Seed);
        progress?.Invoke("reconstruction", 0);
        var result = new ModelEvaluation
        {
            Data = data.Name,
            Items = data.Count,
            ReconstructionError = ReconstructionError.Measure(model, data),
        };

        if (model.Options.IsVariational)
        {
            progress?.Invoke("ELBO", 0);
            var terms = model.Evaluate(data, rng.Split());
            var posterior = PosteriorStatistics.Measure(model, data);
            int mmdItems = Math.Max(2, Math.Min(options.MmdItems, data.Count));
            var codes = model.SamplePosterior(First(data, mmdItems), rng.Split());
            // Its own stream, so the other measurements draw what they always drew.
            var sampled = ReconstructionError.MeasureSampled(model, data, new Rng(options.Seed ^ 0x5A3B_1E0F_D2C4_9786UL));
            result = result with
            {
                SampledRmsError = Math.Sqrt(sampled.MeanSquaredError / model.Inputs),
                DecoderSigma = model.Likelihood is LearnedGaussianLikelihood learned ? learned.Sigma : null,
                Elbo = -(terms.Reconstruction + terms.Kl),
                ElboReconstruction = terms.Reconstruction,
                ElboKl = terms.Kl,
                Posterior = posterior,
                Mmd = Mmd.ToStandardNormal(codes, rng.Split()),
            };

            if (options.ImportanceSamples > 0 && options.ImportanceItems > 0)
            {
                int items = Math.Min(options.ImportanceItems, data.Count);
                var subset = First(data, items);
                var logLikelihood = ImportanceSampling.LogLikelihood(model, subset, options.ImportanceSamples, rng.Split(),
                    itemsDone: done => progress?.Invoke("log p(x)", (double)done / items));
                result = result with { LogLikelihood = logLikelihood.Average(), ImportanceSamples = options.ImportanceSamples, ImportanceItems = items };
            }
        }

        if (data.HasLabels)
        {
            result = MeasureCodes(model.Encode(data), data, options, progress, result);
        }

        factors ??= data as IFactorSource;
        if (factors is not null && WantsDisentanglement(options))
        {
            result = MeasureDisentanglement(FactorCodes.Of(model, factors), factors, options, progress, result);
        }

        if (options.QualitySamples > 0)
        {
            result = model.Options.IsVariational
                ? MeasureQuality(count => Generation.PriorSamples(model, count, new Rng(options.Seed ^ QualityStream)), data, options, progress, result)
                : result with { QualityNote = "skipped: a deterministic autoencoder has no prior to sample (latent sample fits one to the codes; eval does not)" };
        }

        progress?.Invoke("done", 1);
        return result;
    }

    /// <summary>
    /// Measures generative adversarial network <paramref name="network"/> on held-out <paramref name="data"/>: the
    /// discriminator's mean P(real) on the data (at most <see cref="EvaluationOptions.DiscriminatorItems"/> of them, a
    /// seeded random subset) and on as many generated items; with
    /// <see cref="EvaluationOptions.QualitySamples"/> on labelled data, the quality and diversity of the generator's
    /// samples (<see cref="SampleQuality"/>, as for a VAE's prior samples); for an InfoGAN, its recognition head's
    /// codes as the representation: on labelled data a linear probe and k-means on them (continuous means and
    /// categorical logits), and when the factors are known (<paramref name="factors"/>, or <paramref name="data"/>
    /// itself an <see cref="IFactorSource"/>) the beta-VAE metric and the mutual information gap of the continuous
    /// codes' means. A GAN has no encoder nor likelihood: reconstruction, the ELBO and log p(x) are not measured
    /// (<see cref="ModelEvaluation.Skipped"/> says so).
    /// </summary>
    public static ModelEvaluation Evaluate(AdversarialNetwork network, IFeatureSource data, EvaluationOptions? options = null, Action<string, double>? progress = null, IFactorSource? factors = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        options = (options ?? new EvaluationOptions()).Validate();
        if (data.Dimension != network.Inputs)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the network takes {network.Inputs}.", nameof(data));
        }

        if (data.Count < 2)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Count} items; evaluation needs at least 2.", nameof(data));
        }

        progress?.Invoke("discriminator", 0);
        int fakes = Math.Min(options.DiscriminatorItems, data.Count);
        var generated = network.Sample(fakes, options.Seed ^ DiscriminatorStream);
        var real = fakes == data.Count ? data : Dataset.FromSource(data, [.. new Rng(options.Seed ^ DiscriminatorStream).Permutation(data.Count)[..fakes].Order()]);
        var result = new ModelEvaluation
        {
            Data = data.Name,
            Items = data.Count,
            DiscriminatorRealScore = Mean(network.Discriminate(real)),
            DiscriminatorFakeScore = Mean(network.Discriminate(new TensorSource(generated, "generated"))),
            DiscriminatorSamples = fakes,
            Skipped = "reconstruction, ELBO, log p(x), KL and MMD: a GAN has no encoder and no likelihood",
        };

        if (network.Options.HasCodes && data.HasLabels)
        {
            result = MeasureCodes(network.InferCodes(data), data, options, progress, result);
        }

        factors ??= data as IFactorSource;
        if (factors is not null && WantsDisentanglement(options))
        {
            result = network.Options.ContinuousCodes > 0
                ? MeasureDisentanglement(FactorCodes.Of(network, factors), factors, options, progress, result)
                : result with { Skipped = result.Skipped + $"; disentanglement: this '{network.Options.Preset}' network has no continuous codes to score" };
        }

        if (options.QualitySamples > 0)
        {
            result = MeasureQuality(count => network.Sample(count, options.Seed ^ QualityStream), data, options, progress, result);
        }

        progress?.Invoke("done", 1);
        return result;
    }

    private static double Mean(Tensor values)
    {
        double sum = 0;
        foreach (float value in values.Span)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    // A generator's samples against the evaluation data in the feature space of the data set's classifier, or a note why not.
    private static ModelEvaluation MeasureQuality(Func<int, Tensor> sample, IFeatureSource data, EvaluationOptions options, Action<string, double>? progress, ModelEvaluation result)
    {
        if (!data.HasLabels)
        {
            return result with { QualityNote = $"skipped: '{data.Name}' has no labels to train the feature classifier on" };
        }

        var reference = data as Dataset ?? Dataset.FromSource(data);
        if (reference.ClassCount < 2 || reference.Count <= ManifoldPrecisionRecall.DefaultK || reference.Count < 20)
        {
            return result with { QualityNote = $"skipped: '{data.Name}' has {reference.Count} items of {reference.ClassCount} classes; the feature classifier needs 20 items of 2 classes" };
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var classifier = FeatureClassifier.Obtain(reference, options.QualityCacheFolder, options.Seed, (stage, done) => progress?.Invoke($"quality classifier: {stage}", done));
        double classifierSeconds = clock.Elapsed.TotalSeconds;
        progress?.Invoke("sample quality", 0);
        var samples = sample(options.QualitySamples);
        var quality = SampleQuality.Measure(classifier, samples, reference.Features, options.QualityManifoldItems);
        return result with { SampleQuality = quality, QualityClassifierSeconds = classifierSeconds };
    }

    // A linear probe (fitted on one half, scored on the other) and k-means on the codes [n, d] of the labelled data.
    private static ModelEvaluation MeasureCodes(Tensor encoded, IFeatureSource data, EvaluationOptions options, Action<string, double>? progress, ModelEvaluation result)
    {
        progress?.Invoke("probe and clustering", 0);
        var labels = new int[data.Count];
        data.CopyLabels(Enumerable.Range(0, data.Count).ToArray(), labels);
        int classCount = labels.Length == 0 ? 0 : labels.Max() + 1;
        (var first, var second) = Halves(data.Count, options.Seed);
        var probe = LogisticRegression.Fit(Gather(encoded, first), [.. first.Select(i => labels[i])], encoded.Columns);
        double probeAccuracy = probe.Accuracy(Gather(encoded, second), [.. second.Select(i => labels[i])]);
        int clusters = options.Clusters > 0 ? options.Clusters : Math.Max(2, classCount);
        var kmeans = KMeans.Fit(encoded, new KMeansOptions { Clusters = Math.Min(clusters, data.Count), Restarts = 3, Seed = options.Seed });
        return result with
        {
            ProbeAccuracy = probeAccuracy,
            Clusters = kmeans.Clusters,
            ClusterAccuracy = ClusteringMetrics.Accuracy(labels, kmeans.Labels),
            Nmi = ClusteringMetrics.NormalizedMutualInformation(labels, kmeans.Labels),
            Ari = ClusteringMetrics.AdjustedRandIndex(labels, kmeans.Labels),
        };
    }

    // The beta-VAE metric and the mutual information gap of the codes encode gives the factor source's items, as asked.
    private static ModelEvaluation MeasureDisentanglement(Func<int[], Tensor> encode, IFactorSource factors, EvaluationOptions options, Action<string, double>? progress, ModelEvaluation result)
    {
        progress?.Invoke("disentanglement", 0);
        var metric = options.BetaVaeMetric is { } metricOptions ? BetaVaeMetric.Measure(encode, factors, metricOptions with { Seed = options.Seed }) : null;
        progress?.Invoke("disentanglement", 0.5);
        var gap = options.MigItems > 0 ? MutualInformationGap.Measure(encode, factors, options.MigItems, options.MigBins, options.Seed) : null;
        return result with { BetaVaeMetric = metric, Mig = gap, FactorNames = factors.FactorNames };
    }

    private static bool WantsDisentanglement(EvaluationOptions options) => options.BetaVaeMetric is not null || options.MigItems > 0;

    // A seeded random split into two halves, so the probe is scored on items it was not fitted to.
    private static (int[] First, int[] Second) Halves(int count, ulong seed)
    {
        var order = new Rng(seed ^ 0x9E3779B97F4A7C15UL).Permutation(count);
        int half = count / 2;
        return (order[..half], order[half..]);
    }

    // The first items of a source, in memory.
    private static Dataset First(IFeatureSource data, int count) =>
        count == data.Count && data is Dataset dataset ? dataset : Dataset.FromSource(data, Enumerable.Range(0, count).ToArray());

    private static float[] Gather(Tensor codes, int[] rows)
    {
        int d = codes.Columns;
        var result = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            codes.Row(rows[i]).CopyTo(result.AsSpan(i * d, d));
        }

        return result;
    }
}
