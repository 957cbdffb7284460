using Latent.Classical;
using Latent.Models;
using Latent.Nn;
using Latent.Training;

namespace Latent.Tests.Models;

public class LinearDecoderTests
{
    [Fact]
    public void TheBasisIsTheDecoderWeightsColumnsAndItsAngleToItselfIsZero()
    {
        var model = new Autoencoder(ModelTestData.Small("linear-ae", o => o with { Latent = 3 }));
        Assert.True(LinearDecoder.IsLinear(model));
        var weight = ((Linear)model.Decoder[0]).Weight.Value; // [64, 3]
        double[] basis = LinearDecoder.Basis(model);
        Assert.Equal(3 * 64, basis.Length);
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 64; i++)
            {
                Assert.Equal(weight[i, j], basis[(j * 64) + i], 6);
            }
        }

        // Two linear hidden layers compose: the basis is the product's columns.
        var deep = new Autoencoder(ModelTestData.Small("linear-ae", o => o with { Latent = 3, Hidden = [10] }));
        Assert.True(LinearDecoder.IsLinear(deep));
        var first = ((Linear)deep.Decoder[0]).Weight.Value;  // [10, 3]
        var second = ((Linear)deep.Decoder[1]).Weight.Value; // [64, 10]
        double expected = 0;
        for (int h = 0; h < 10; h++)
        {
            expected += second[5, h] * first[h, 2];
        }

        Assert.Equal(expected, LinearDecoder.Basis(deep)[(2 * 64) + 5], 6);
    }

    [Fact]
    public void ANonlinearDecoderIsRefused()
    {
        var model = new Autoencoder(ModelTestData.Small("ae"));
        Assert.False(LinearDecoder.IsLinear(model));
        var error = Assert.Throws<ArgumentException>(() => LinearDecoder.Basis(model));
        Assert.Contains("not linear", error.Message, StringComparison.Ordinal);
        var trainer = new Trainer(new TrainerOptions { Epochs = 1, PcaAngle = true, CheckpointEvery = 0 });
        Assert.Throws<ArgumentException>(() => trainer.Fit(model, ModelTestData.Rows(ModelTestData.Digits, 0, 100)));
    }

    [Fact]
    public void TheTrainerRecordsTheAngleEachEpochAndItFallsToPcasSubspace()
    {
        var data = ModelTestData.Digits;
        var model = new Autoencoder(ModelTestData.Small("linear-ae", o => o with { Latent = 3 }));
        var result = new Trainer(new TrainerOptions { Epochs = 300, BatchSize = 64, LearningRate = 1e-2f, Schedule = Latent.Optim.ScheduleKind.Cosine, PcaAngle = true, CheckpointEvery = 0 }).Fit(model, data);
        double[] angles = [.. result.History.Epochs.Select(e => e.Metric(EpochRecord.PcaAngleMetric)!.Value)];
        Assert.Equal(300, angles.Length);
        Assert.True(angles[0] > 10, $"first epoch {angles[0]:F2}°");
        Assert.True(angles[^1] < 1, $"last epoch {angles[^1]:F3}°");

        // The recorded value is the angle of the final model to the PCA of the data.
        var pca = LinearDecoder.ReferencePca(new Latent.Data.TensorSource(data, "digits"), 3);
        Assert.Equal(angles[^1], LinearDecoder.LargestAngleToPca(result.Model, pca), 6);

        // The history keeps the metric through CSV and JSON.
        Assert.EndsWith(",pca_angle", result.History.ToCsv().Split('\n')[0], StringComparison.Ordinal);
        var back = TrainingHistory.FromJson(result.History.ToJson());
        Assert.Equal(angles, back.Epochs.Select(e => e.Metric(EpochRecord.PcaAngleMetric)!.Value));
        Assert.Equal([EpochRecord.PcaAngleMetric], back.MetricNames);
    }

    [Fact]
    public void EmRecordsItsAngleToPcaPerIterationAndKeepsItInTheModelFile()
    {
        var x = ModelTestData.Digits;
        var em = new ProbabilisticPcaOptions { Components = 3, Solver = PpcaSolver.Em, PcaAngle = true, MaxIterations = 80, Seed = 1 }.Fit(x);
        Assert.Equal(em.Iterations, em.PcaAngleHistory.Count);
        Assert.True(em.PcaAngleHistory[0] > 5, $"first iteration {em.PcaAngleHistory[0]:F2}°");
        Assert.True(em.PcaAngleHistory[^1] < 1e-3, $"last iteration {em.PcaAngleHistory[^1]}°");
        var pca = new PcaOptions { Components = 3, Solver = PcaSolver.Full }.Fit(x);
        Assert.Equal(em.PcaAngleHistory[^1], PrincipalAngles.LargestDegrees(em.Loadings, pca.ComponentMatrix), 3);
        Assert.Empty(new ProbabilisticPcaOptions { Components = 3, Solver = PpcaSolver.Em, MaxIterations = 5 }.Fit(x).PcaAngleHistory);

        using var folder = new TempFolder();
        em.Save(folder.File("ppca.safetensors"));
        Assert.Equal(em.PcaAngleHistory.Select(a => (float)a), ProbabilisticPcaModel.Load(folder.File("ppca.safetensors")).PcaAngleHistory.Select(a => (float)a));
    }
}
