using Latent.Evaluation;

namespace Latent.Tests.Evaluation;

/// <summary>An evaluation's table rows, as <c>latent eval</c> prints them and as a report reads them back from eval.json.</summary>
public sealed class EvaluationRowsTests
{
    private static readonly ModelEvaluation s_everything = new()
    {
        Data = "mnist-10k",
        Items = 1000,
        ReconstructionError = new ReconstructionError([1.0, 3.0], [10.0, 20.0]),
        Elbo = -101.25,
        ElboReconstruction = 90.5,
        ElboKl = 10.75,
        SampledRmsError = 0.125,
        LogLikelihood = -98.5,
        ImportanceSamples = 5000,
        ImportanceItems = 1000,
        Posterior = new PosteriorStatistics([1.5, 0.001, 2.0], [0.5, 0.0001, 0.9], PosteriorStatistics.DefaultThreshold),
        ProbeAccuracy = 0.9125,
        ClusterAccuracy = 0.75,
        Nmi = 0.6,
        Ari = 0.5,
        Clusters = 10,
        Mmd = double.NaN,
        BetaVaeMetric = new BetaVaeMetricResult(0.8, 0.85, 0.25, new BetaVaeMetricOptions()),
        Mig = new MutualInformationGapResult(0.3, [0.5, double.NaN], new double[2, 3], [1.0, 0.0], 1000, 20),
        FactorNames = ["x", "scale"],
        SampleQuality = new SampleQuality(10000, 999, 24.75, new ClassCoverage(10, 9, 2.1), new ClassCoverage(10, 10, 2.3), 5000, 0.86, 0.68, 0.07, true, 1.5),
        Skipped = "nothing at all",
    };

    [Fact]
    public void EveryMeasureHasItsNamedRow()
    {
        var rows = s_everything.Rows();
        (string, string)[] expected =
        [
            ("items", "1000"),
            ("reconstruction −log p(x|z)", "15"),
            ("reconstruction squared error", "2"),
            ("ELBO", "-101.25"),
            ("ELBO reconstruction term", "90.5"),
            ("ELBO KL term", "10.75"),
            ("RMS error per dimension, z ~ q(z|x)", "0.125"),
            ("log p(x), IWAE k=5,000 on 1,000 items", "-98.5"),
            ("active units (Cov μ > 0.01)", "2 of 3"),
            ("linear probe accuracy", "0.9125"),
            ("k-means (k=10) accuracy", "0.75"),
            ("k-means (k=10) NMI", "0.6"),
            ("k-means (k=10) ARI", "0.5"),
            ("MMD²(q(z), p(z))", "NaN"),
            ("beta-VAE metric (accuracy, chance 0.25)", "0.8"),
            ("MIG (mutual information gap)", "0.3"),
            ("  MIG of x", "0.5"),
            ("  MIG of scale", "constant"),
            ("Fréchet distance, 10,000 samples vs data (classifier features; not FID)", "24.75"),
            ("classes found among samples (data)", "9 of 10 (10)"),
            ("class entropy of samples, nats (data)", "2.1 (2.3)"),
            ("precision, k=3 NN on 5,000", "0.86"),
            ("recall, k=3 NN on 5,000", "0.68"),
            ("quality classifier held-out error", "0.07 (cached)"),
            ("not measured", "nothing at all"),
        ];
        Assert.Equal(expected, rows.Select(r => (r.Name, r.Value)));
    }

    [Fact]
    public void SavedJsonReadsBackAsTheSameRows()
    {
        Assert.Equal(s_everything.Rows(), ModelEvaluation.RowsOfJson(s_everything.ToJson()));
        var gan = new ModelEvaluation
        {
            Data = "mnist-10k",
            Items = 10000,
            DiscriminatorRealScore = 0.99,
            DiscriminatorFakeScore = 0.14,
            DiscriminatorSamples = 10000,
            Skipped = "reconstruction: a GAN has no encoder",
        };
        var rows = ModelEvaluation.RowsOfJson(gan.ToJson());
        Assert.Equal(gan.Rows(), rows);
        Assert.Equal(
            ["items", "discriminator mean P(real) on 10,000 data items", "discriminator mean P(real) on 10,000 samples", "not measured"],
            rows.Select(r => r.Name));
    }

    [Fact]
    public void KeysOfANewerFileShowUnderTheirNames()
    {
        var rows = ModelEvaluation.RowsOfJson("""{"data": "d", "items": 5, "clusters": 0, "futureMeasure": 0.5, "futureNote": "text", "importanceSamples": 0}""");
        Assert.Equal([("items", "5"), ("futureMeasure", "0.5"), ("futureNote", "text")], rows.Select(r => (r.Name, r.Value)));
    }

    [Theory]
    [InlineData("{\"items\": ", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    public void NotAnEvaluationIsRefused(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => ModelEvaluation.RowsOfJson(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
