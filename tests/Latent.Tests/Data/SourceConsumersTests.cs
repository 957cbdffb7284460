using Latent.Classical;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Data;

/// <summary>Every consumer of data gives the same answer from a memory-mapped file as from the same rows in memory.</summary>
public sealed class SourceConsumersTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Tensor _data = ModelTestData.Rows(ModelTestData.Digits, 0, 1100);
    private readonly MappedSource _mapped;

    public SourceConsumersTests()
    {
        string path = _folder.File("digits.npy");
        Npy.Write(path, new NumericArray([_data.Rows, _data.Columns], _data.ToArray()), ElementType.Float32);
        _mapped = MappedSource.Open(path);
    }

    public void Dispose()
    {
        _mapped.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void ClassicalFitsReadAMappedSource()
    {
        // Correlated Gaussian data (the digits have constant pixels, which factor analysis refuses).
        var rng = new Rng(21);
        var data = Tensor.Zeros(400, 6);
        rng.FillNormal(data.Span);
        for (int i = 0; i < data.Rows; i++)
        {
            data[i, 1] += 2 * data[i, 0];
            data[i, 4] -= data[i, 2];
        }

        string path = _folder.File("gaussian.npy");
        Npy.Write(path, new NumericArray([data.Rows, data.Columns], data.ToArray()), ElementType.Float32);
        using var mapped = MappedSource.Open(path);
        ClassicalFitsAgree(data, mapped);
    }

    private static void ClassicalFitsAgree(Tensor data, MappedSource mapped)
    {
        Assert.Equal(new PcaOptions { Components = 3 }.Fit(data).ComponentMatrix.ToArray(), new PcaOptions { Components = 3 }.Fit(mapped).ComponentMatrix.ToArray());
        Assert.Equal(
            KMeans.Fit(data, new KMeansOptions { Clusters = 4, Seed = 2 }).Centres.ToArray(),
            KMeans.Fit(mapped, new KMeansOptions { Clusters = 4, Seed = 2 }).Centres.ToArray());
        Assert.Equal(
            new GaussianMixtureOptions { Components = 2, CovarianceType = CovarianceType.Diagonal, Seed = 1 }.Fit(data).Means.ToArray(),
            new GaussianMixtureOptions { Components = 2, CovarianceType = CovarianceType.Diagonal, Seed = 1 }.Fit(mapped).Means.ToArray());
        Assert.Equal(
            new FactorAnalysisOptions { Components = 3, Seed = 1 }.Fit(data).Transform(data).ToArray(),
            FactorAnalysis.Fit(mapped, new FactorAnalysisOptions { Components = 3, Seed = 1 }).Transform(data).ToArray());
        Assert.Equal(
            new ProbabilisticPcaOptions { Components = 3, Seed = 1 }.Fit(data).Transform(data).ToArray(),
            ProbabilisticPca.Fit(mapped, new ProbabilisticPcaOptions { Components = 3, Seed = 1 }).Transform(data).ToArray());
    }

    [Fact]
    public void AutoencoderInferenceAndEvaluationReadAMappedSource()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var inMemory = new Dataset("digits", _data);
        Assert.Equal(model.Encode(_data).ToArray(), model.Encode(_mapped).ToArray());
        Assert.Equal(model.Reconstruct(_data).ToArray(), model.Reconstruct(_mapped).ToArray());
        Assert.Equal(model.Score(_data, new Rng(3)), model.Score(_mapped, new Rng(3)));
        Assert.Equal(model.SamplePosterior(_data, new Rng(4)).ToArray(), model.SamplePosterior(inMemory, new Rng(4)).ToArray());
        var codes = model.Encode(_data);
        Assert.Equal(model.Decode(codes).ToArray(), model.Decode(new TensorSource(codes)).ToArray());
        Assert.Equal(model.Evaluate(_data, new Rng(5), 100), model.Evaluate(_mapped, new Rng(5), 100));

        // Batch boundaries do not matter in inference: 1,100 items are 2 batches of the inference batcher.
        Assert.Equal(model.Encode(_data).Span.Slice(1050 * 8, 8).ToArray(), model.Encode(ModelTestData.Rows(_data, 1050, 1)).ToArray());

        Assert.Equal(ReconstructionError.Measure(model, _data, 64).SquaredError, ReconstructionError.Measure(model, _mapped, 64).SquaredError);
        Assert.Equal(PosteriorStatistics.Measure(model, _data, batchSize: 77).KlPerDimension, PosteriorStatistics.Measure(model, _mapped, batchSize: 77).KlPerDimension);
        var few = ModelTestData.Rows(_data, 0, 30);
        Assert.Equal(
            ImportanceSampling.LogLikelihood(model, few, 20, new Rng(6), maxRows: 100),
            ImportanceSampling.LogLikelihood(model, new Dataset("few", few), 20, new Rng(6), maxRows: 100));
    }
}
