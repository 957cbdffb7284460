using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Evaluation;

/// <summary>The measurements of one model on one data set (null where a measure does not apply).</summary>
public sealed record ModelEvaluation
{
    /// <summary>The data set's name.</summary>
    public required string Data { get; init; }

    /// <summary>The items measured.</summary>
    public required int Items { get; init; }

    /// <summary>Reconstruction errors at the encoding code (null for a model without an encoder, a GAN).</summary>
    public ReconstructionError? ReconstructionError { get; init; }

    /// <summary>A GAN's discriminator: its mean P(real) on the evaluation data (held-out real items; <see cref="DiscriminatorSamples"/> of them when the data have more).</summary>
    public double? DiscriminatorRealScore { get; init; }

    /// <summary>A GAN's discriminator: its mean P(real) on <see cref="DiscriminatorSamples"/> generated items.</summary>
    public double? DiscriminatorFakeScore { get; init; }

    /// <summary>Generated items behind <see cref="DiscriminatorFakeScore"/>.</summary>
    public int DiscriminatorSamples { get; init; }

    /// <summary>The measurements that do not apply to this kind of model, and why (null: none skipped).</summary>
    public string? Skipped { get; init; }

    /// <summary>ELBO per item (−reconstruction − KL, one posterior sample, analytic KL), variational models only.</summary>
    public double? Elbo { get; init; }

    /// <summary>The ELBO's reconstruction term E_q[−log p(x | z)].</summary>
    public double? ElboReconstruction { get; init; }

    /// <summary>The ELBO's KL term KL(q(z | x) ‖ p(z)).</summary>
    public double? ElboKl { get; init; }

    /// <summary>
    /// √(E_q ‖x − f(z)‖² / d): the root mean squared error per dimension at one draw z ~ q(z | x) per item
    /// (the ELBO's reconstruction), variational models only.
    /// </summary>
    public double? SampledRmsError { get; init; }

    /// <summary>The learned σ of a Gaussian likelihood with learned variance (<see cref="Models.LearnedGaussianLikelihood.Sigma"/>), else null.</summary>
    public double? DecoderSigma { get; init; }

    /// <summary>The mean importance-sampled log p(x).</summary>
    public double? LogLikelihood { get; init; }

    /// <summary>Importance samples per item behind <see cref="LogLikelihood"/>.</summary>
    public int ImportanceSamples { get; init; }

    /// <summary>Items behind <see cref="LogLikelihood"/>.</summary>
    public int ImportanceItems { get; init; }

    /// <summary>KL per latent dimension and activity, variational models only.</summary>
    public PosteriorStatistics? Posterior { get; init; }

    /// <summary>Linear-probe accuracy on the held-out half (labelled data only).</summary>
    public double? ProbeAccuracy { get; init; }

    /// <summary>k-means on the codes: Hungarian-matched accuracy (labelled data only).</summary>
    public double? ClusterAccuracy { get; init; }

    /// <summary>k-means on the codes: NMI with the labels.</summary>
    public double? Nmi { get; init; }

    /// <summary>k-means on the codes: ARI with the labels.</summary>
    public double? Ari { get; init; }

    /// <summary>Clusters used for k-means.</summary>
    public int Clusters { get; init; }

    /// <summary>MMD² between the aggregate posterior and N(0, I), variational models only.</summary>
    public double? Mmd { get; init; }

    /// <summary>The beta-VAE disentanglement metric (Higgins et al. 2017), when the data set's factors are known.</summary>
    public BetaVaeMetricResult? BetaVaeMetric { get; init; }

    /// <summary>The mutual information gap (Chen et al. 2018), when the data set's factors are known.</summary>
    public MutualInformationGapResult? Mig { get; init; }

    /// <summary>The names of the data set's factors behind <see cref="BetaVaeMetric"/> and <see cref="Mig"/>.</summary>
    public IReadOnlyList<string>? FactorNames { get; init; }

    /// <summary>Sample quality and diversity of the model's prior samples against the data (<see cref="Evaluation.SampleQuality"/>), when measured.</summary>
    public SampleQuality? SampleQuality { get; init; }

    /// <summary>Why <see cref="SampleQuality"/> was not measured although asked for, else null.</summary>
    public string? QualityNote { get; init; }

    /// <summary>Seconds spent obtaining the sample-quality classifier (training it, or reading its cache).</summary>
    public double? QualityClassifierSeconds { get; init; }

    /// <summary>The measurements as (name, formatted value) rows, in a fixed order, for a table.</summary>
    public IReadOnlyList<(string Name, string Value)> Rows() => EvaluationRows.Of(ToJsonObject());

    /// <summary>
    /// The rows of an evaluation saved by <see cref="ToJson"/> (a run's eval.json): the same names and values as
    /// <see cref="Rows"/> gave before it was saved.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="json"/> is not a JSON object.</exception>
    public static IReadOnlyList<(string Name, string Value)> RowsOfJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"not valid JSON: {exception.Message}", exception);
        }

        return root is JsonObject measurements
            ? EvaluationRows.Of(measurements)
            : throw new FormatException("expected a JSON object of measurements (as 'latent eval' writes).");
    }

    /// <summary>The measurements as indented JSON (per-item arrays left out, KL per dimension kept; NaN and infinities as the strings "NaN", "Infinity").</summary>
    public string ToJson() =>
        ToJsonObject().ToJsonString(new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    /// <summary>The JSON form of an evaluation that measured nothing: every key <see cref="ToJson"/> writes, most of them null.</summary>
    internal static JsonObject EmptyJson() => new ModelEvaluation { Data = string.Empty, Items = 0 }.ToJsonObject();

    private JsonObject ToJsonObject() => new()
    {
        ["data"] = Data,
        ["items"] = Items,
        ["reconstructionNll"] = ReconstructionError?.MeanNegativeLogLikelihood,
        ["reconstructionSquaredError"] = ReconstructionError?.MeanSquaredError,
        ["discriminatorRealScore"] = DiscriminatorRealScore,
        ["discriminatorFakeScore"] = DiscriminatorFakeScore,
        ["discriminatorSamples"] = DiscriminatorFakeScore is null ? null : DiscriminatorSamples,
        ["elbo"] = Elbo,
        ["elboReconstruction"] = ElboReconstruction,
        ["elboKl"] = ElboKl,
        ["sampledRmsError"] = SampledRmsError,
        ["decoderSigma"] = DecoderSigma,
        ["logLikelihood"] = LogLikelihood,
        ["importanceSamples"] = ImportanceSamples,
        ["importanceItems"] = ImportanceItems,
        ["activeUnits"] = Posterior?.ActiveUnits,
        ["klPerDimension"] = Posterior is null ? null : new JsonArray([.. Posterior.KlPerDimension.Select(v => JsonValue.Create(v))]),
        ["probeAccuracy"] = ProbeAccuracy,
        ["clusters"] = Clusters,
        ["clusterAccuracy"] = ClusterAccuracy,
        ["nmi"] = Nmi,
        ["ari"] = Ari,
        ["mmd"] = Mmd,
        ["betaVaeMetric"] = BetaVaeMetric?.Accuracy,
        ["betaVaeMetricTrain"] = BetaVaeMetric?.TrainAccuracy,
        ["betaVaeMetricChance"] = BetaVaeMetric?.Chance,
        ["mig"] = Mig?.Score,
        ["migPerFactor"] = Mig is null ? null : new JsonObject(Mig.PerFactor.Select((v, f) => KeyValuePair.Create<string, JsonNode?>(
            FactorNames is { } names && f < names.Count ? names[f] : f.ToString(CultureInfo.InvariantCulture), double.IsNaN(v) ? null : JsonValue.Create(v)))),
        ["sampleQuality"] = SampleQuality is not { } q ? null : new JsonObject
        {
            ["samples"] = q.Samples,
            ["referenceItems"] = q.ReferenceItems,
            ["frechetDistance"] = q.Frechet,
            ["classes"] = q.Coverage.Classes,
            ["classesFound"] = q.Coverage.Found,
            ["classEntropy"] = q.Coverage.Entropy,
            ["referenceClassesFound"] = q.ReferenceCoverage.Found,
            ["referenceClassEntropy"] = q.ReferenceCoverage.Entropy,
            ["manifoldK"] = ManifoldPrecisionRecall.DefaultK,
            ["manifoldItems"] = q.ManifoldItems,
            ["precision"] = q.Precision,
            ["recall"] = q.Recall,
            ["classifierHeldOutError"] = q.ClassifierHeldOutError,
            ["classifierFromCache"] = q.ClassifierFromCache,
            ["classifierSeconds"] = QualityClassifierSeconds,
            ["seconds"] = q.Seconds,
        },
        ["sampleQualityNote"] = QualityNote,
        ["skipped"] = Skipped,
    };
}
