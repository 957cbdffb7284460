using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"latent-trainer-{Guid.NewGuid():N}");

    public TrainerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrainerOptions Options(int epochs, string? checkpoint) =>
        new() { Epochs = epochs, BatchSize = 50, LearningRate = 3e-3f, CheckpointPath = checkpoint, Seed = 11 };

    [Fact]
    public void ResumeEqualsAnUninterruptedRunBitwise()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 400);
        var validation = ModelTestData.Rows(ModelTestData.Digits, 400, 100);
        var options = ModelTestData.Small("denoising-ae", o => o with { Bottleneck = BottleneckKind.Gaussian, Preset = "noisy-vae" });

        var straight = new Trainer(Options(4, Path.Combine(_folder, "a.safetensors"))).Fit(new Autoencoder(options), train, validation);

        string partial = Path.Combine(_folder, "b.safetensors");
        new Trainer(Options(2, partial)).Fit(new Autoencoder(options), train, validation);
        var resumed = new Trainer(Options(4, partial)).Resume(partial, train, validation);

        Assert.Equal(4, resumed.History.Epochs.Count);
        Assert.Equal(straight.BestEpoch, resumed.BestEpoch);
        foreach (((string name, Tensor a), (_, Tensor b)) in straight.Model.StateDict().Zip(resumed.Model.StateDict()))
        {
            Assert.True(a.Span.SequenceEqual(b.Span), $"{name} differs after resuming");
        }

        for (int e = 0; e < 4; e++)
        {
            Assert.Equal(straight.History.Epochs[e].Train, resumed.History.Epochs[e].Train);
        }
    }

    [Fact]
    public void NanLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 200);
        var model = new Autoencoder(ModelTestData.Small("ae"));
        string checkpoint = Path.Combine(_folder, "c.safetensors");
        var poison = new Poisoner(model, afterEpoch: 2);
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(Options(5, checkpoint), poison).Fit(model, train));
        Assert.Equal(3, error.Epoch);
        Assert.Equal(1, error.Step);
        Assert.Equal(checkpoint, error.Checkpoint);
        Assert.Contains("NaN", error.Message);

        var resumed = new Trainer(Options(3, checkpoint)).Resume(checkpoint, train);
        Assert.Equal(3, resumed.History.Epochs.Count);
        Assert.All(resumed.Model.StateDict().Values, t => Assert.True(t.ToArray().All(float.IsFinite)));
    }

    [Fact]
    public void ALossThatExplodesWithoutNaNStopsTrainingAndSaysWhatToChange()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 200);
        var model = new Autoencoder(ModelTestData.Small("ae"));
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(Options(3, null) with { LearningRate = 1e6f }).Fit(model, train));
        Assert.Equal(1, error.Epoch);
        Assert.Contains("exploded", error.Message);
        Assert.Contains("--lr 1E+05", error.Message);
        Assert.Null(error.Checkpoint);
    }

    [Fact]
    public void AParameterMadeNonFiniteByAGradientIsNeverCheckpointed()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 200);
        var model = new Autoencoder(ModelTestData.Small("ae"));
        string checkpoint = Path.Combine(_folder, "g.safetensors");
        var poison = new StepPoisoner(model, epoch: 2, step: 4);
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(Options(5, checkpoint), poison).Fit(model, train));
        Assert.Equal(2, error.Epoch);
        Assert.Contains($"Parameter '{model.Parameters().First().Name}' became NaN or infinite in epoch 2", error.Message);
        var resumed = new Trainer(Options(2, checkpoint)).Resume(checkpoint, train);
        Assert.Equal(2, resumed.History.Epochs.Count);
        Assert.All(resumed.Model.StateDict().Values, t => Assert.True(t.ToArray().All(float.IsFinite)));
    }

    [Theory]
    [InlineData(7000.0, 700.0, 1.0, false)]
    [InlineData(7001.0, 700.0, 1.0, true)]
    [InlineData(19.3, -2.09, 784.0, false)]
    [InlineData(7100.0, -2.09, 784.0, true)]
    [InlineData(-2000.0, -3000.0, 1.0, false)]
    [InlineData(27001.0, -3000.0, 1.0, true)]
    [InlineData(1e30, double.PositiveInfinity, 1.0, false)]
    public void AnEpochExplodesAnOrderOfMagnitudeAboveTheBestOnTheFeaturesScale(double loss, double best, double scale, bool exploded) =>
        Assert.Equal(exploded, Trainer.Exploded(loss, best, scale, Trainer.EpochExplosion));

    private sealed class StepPoisoner(Autoencoder model, int epoch, int step) : ITrainingObserver
    {
        public void StepCompleted(int atEpoch, int atStep, in LossTerms terms)
        {
            if (atEpoch == epoch && atStep == step)
            {
                model.Parameters().First().Parameter.Value[0] = float.PositiveInfinity;
            }
        }
    }

    private sealed class Poisoner(Autoencoder model, int afterEpoch) : ITrainingObserver
    {
        public void EpochCompleted(EpochRecord record)
        {
            if (record.Epoch == afterEpoch)
            {
                model.Parameters().First().Parameter.Value[0] = float.NaN;
            }
        }
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestEpochAndHistoryRoundTrips()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 300);
        var validation = ModelTestData.Rows(ModelTestData.Digits, 300, 100);
        var model = new Autoencoder(ModelTestData.Small("ae"));

        // A learning rate this large makes the validation loss wander, so patience 1 stops early.
        var result = new Trainer(Options(30, null) with { LearningRate = 0.05f, Patience = 1 }).Fit(model, train, validation);
        Assert.True(result.StoppedEarly);
        var best = result.History.Epochs.MinBy(e => e.Validation!.Value.Total)!;
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(best.Validation!.Value.Total, model.Evaluate(validation, new Rng(0x5EED_0F_7E57UL)).Total, 4);

        var copy = TrainingHistory.FromJson(result.History.ToJson());
        Assert.Equal(result.History.Epochs, copy.Epochs);
        string[] lines = result.History.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(result.History.Epochs.Count + 1, lines.Length);
        Assert.StartsWith("epoch,loss,reconstruction,kl,mmd,sparsity,val_loss", lines[0]);
    }
}
