using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Evaluation;

public sealed class GeneratedSampleQualityTests : IDisposable
{
    private static readonly Lazy<Dataset> s_digits = new(() => new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16));
    private static readonly Lazy<FeatureClassifier> s_classifier = new(() => FeatureClassifier.Obtain(First(s_digits.Value, 1200), cacheFolder: null, seed: 3));
    private readonly string _folder = Directory.CreateTempSubdirectory("latent-quality-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void HeldOutImagesAreFarCloserThanNoiseAndCoverTheClasses()
    {
        var classifier = s_classifier.Value;
        var train = First(s_digits.Value, 1200).Features;
        var heldOut = Rows(s_digits.Value.Features, 1200, 597);
        var noise = Tensor.Zeros(597, 64);
        new Rng(4).FillUniform(noise.Span);

        var real = SampleQuality.Measure(classifier, heldOut, train);
        var garbage = SampleQuality.Measure(classifier, noise, train);
        Assert.True(real.Frechet * 10 < garbage.Frechet, $"held-out {real.Frechet}, noise {garbage.Frechet}");
        Assert.InRange(real.Coverage.Found, 9, 10);
        Assert.True(real.Coverage.NormalizedEntropy > 0.95, $"entropy {real.Coverage.NormalizedEntropy}");
        Assert.True(real.Precision > 0.7 && real.Recall > 0.7, $"held-out precision {real.Precision}, recall {real.Recall}");
        // k-NN manifolds of 1,200 items are loose (an outlier's ball is wide), so noise keeps some precision; it has no recall.
        Assert.True(garbage.Precision < 0.3 && garbage.Precision * 3 < real.Precision, $"noise precision {garbage.Precision}, held-out {real.Precision}");
        Assert.True(garbage.Recall < 0.05, $"noise recall {garbage.Recall}");

        var itself = SampleQuality.Measure(classifier, train, train);
        Assert.Equal(1, itself.Precision);
        Assert.Equal(1, itself.Recall);
        Assert.Equal(0, itself.Frechet, 1e-6);

        // One image repeated: one class, zero entropy, and it covers almost none of the data.
        var repeated = Tensor.Zeros(500, 64);
        for (int i = 0; i < repeated.Rows; i++)
        {
            heldOut.Row(7).CopyTo(repeated.Row(i));
        }

        var collapsed = SampleQuality.Measure(classifier, repeated, train);
        Assert.Equal(1, collapsed.Coverage.Found);
        Assert.Equal(0, collapsed.Coverage.Entropy, 1e-12);
        Assert.True(collapsed.Recall < 0.05, $"collapsed recall {collapsed.Recall}");
    }

    [Fact]
    public void ATrainedVaesSamplesRankAboveAnUntrainedOnes()
    {
        var classifier = s_classifier.Value;
        var data = First(s_digits.Value, 1200).Features;
        var untrained = new Autoencoder(ModelTestData.Small("vae"));
        var trained = ModelTestData.Train(new Autoencoder(ModelTestData.Small("vae")), data, epochs: 15);
        var before = SampleQuality.Measure(classifier, Generation.PriorSamples(untrained, 600, new Rng(1)), data);
        var after = SampleQuality.Measure(classifier, Generation.PriorSamples(trained, 600, new Rng(1)), data);
        Assert.True(after.Frechet * 2 < before.Frechet, $"trained {after.Frechet}, untrained {before.Frechet}");
        Assert.True(after.Precision > before.Precision, $"trained precision {after.Precision}, untrained {before.Precision}");
        Assert.True(after.Coverage.Found >= before.Coverage.Found);
    }

    [Fact]
    public void TheClassifierIsCachedAndACorruptOrForeignCacheIsRetrained()
    {
        var data = First(s_digits.Value, 300);
        var first = FeatureClassifier.Obtain(data, _folder, seed: 1);
        Assert.False(first.FromCache);
        Assert.True(File.Exists(first.Path));
        var second = FeatureClassifier.Obtain(data, _folder, seed: 1);
        Assert.True(second.FromCache);
        Assert.Equal(first.HeldOutError, second.HeldOutError);
        Assert.Equal(first.Features(data.Features).Span.ToArray(), second.Features(data.Features).Span.ToArray());

        // Other values under the same name and size get another file; a different seed does not match the key.
        var other = new Dataset(data.Name, Rows(s_digits.Value.Features, 300, 300), [.. s_digits.Value.Labels!.Skip(300).Take(300)]);
        var foreign = FeatureClassifier.Obtain(other, _folder, seed: 1);
        Assert.False(foreign.FromCache);
        Assert.NotEqual(first.Path, foreign.Path);
        Assert.False(FeatureClassifier.Obtain(data, _folder, seed: 2).FromCache);

        File.WriteAllBytes(first.Path!, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var retrained = FeatureClassifier.Obtain(data, _folder, seed: 1);
        Assert.False(retrained.FromCache);
        Assert.True(FeatureClassifier.Obtain(data, _folder, seed: 1).FromCache);
        Assert.Throws<ArgumentException>(() => FeatureClassifier.Obtain(new Dataset("unlabelled", data.Features), _folder));
    }

    [Fact]
    public void EvaluationReportsSampleQualityForVaesAndANoteForDeterministicAutoencoders()
    {
        var data = First(s_digits.Value, 400);
        var options = new EvaluationOptions { ImportanceSamples = 0, MmdItems = 50, QualitySamples = 200, QualityCacheFolder = _folder };
        var vae = Evaluator.Evaluate(new Autoencoder(ModelTestData.Small("vae")), data, options);
        Assert.NotNull(vae.SampleQuality);
        Assert.Equal(200, vae.SampleQuality.Samples);
        Assert.Contains("\"frechetDistance\"", vae.ToJson());
        Assert.Contains(vae.Rows(), r => r.Name.StartsWith("Fréchet distance", StringComparison.Ordinal));

        var ae = Evaluator.Evaluate(new Autoencoder(ModelTestData.Small("ae")), data, options);
        Assert.Null(ae.SampleQuality);
        Assert.Contains("deterministic", ae.QualityNote);
        Assert.Null(Evaluator.Evaluate(new Autoencoder(ModelTestData.Small("vae")), data, options with { QualitySamples = 0 }).QualityNote);
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { QualitySamples = 2 }).Validate());
    }

    [Fact]
    public void ClassCoverageCountsClassesAboveATenthOfAFairShare()
    {
        int[] predicted = [.. Enumerable.Repeat(0, 95), .. Enumerable.Repeat(1, 4), 2];
        var coverage = ClassCoverage.Of(predicted, 4);
        Assert.Equal(2, coverage.Found);
        Assert.Equal(0.5, coverage.FoundShare);
        double expected = -((0.95 * Math.Log(0.95)) + (0.04 * Math.Log(0.04)) + (0.01 * Math.Log(0.01)));
        Assert.Equal(expected, coverage.Entropy, 1e-12);
        Assert.Equal(1, ClassCoverage.Of([0, 1, 2, 3], 4).NormalizedEntropy, 1e-12);
        Assert.Throws<ArgumentException>(() => ClassCoverage.Of([0, 4], 4));
    }

    private static Dataset First(Dataset data, int count) =>
        new(data.Name, Rows(data.Features, 0, count), [.. data.Labels!.Take(count)]);

    private static Tensor Rows(Tensor data, int start, int count) => ModelTestData.Rows(data, start, count);
}
