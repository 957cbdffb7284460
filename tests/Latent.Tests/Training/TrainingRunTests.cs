using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Training;

public sealed class TrainingRunTests : IDisposable
{
    private static readonly Lazy<Dataset> s_mnist = new(() => UnitScaling.Apply(new DatasetCatalog().Load("mnist-10k")).Take(600));

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrainingRunOptions Options(int epochs, bool resume = false, int checkpointEvery = 1) => new()
    {
        Model = Presets.Defaults("vae", 784) with { Hidden = [64], Latent = 4, Seed = 3 },
        Trainer = new TrainerOptions { Epochs = epochs, BatchSize = 50, LearningRate = 3e-3f, CheckpointEvery = checkpointEvery, Seed = 5 },
        ValidationFraction = 0.1,
        Resume = resume,
    };

    [Fact]
    public void TrainsOnMnistIntoANewFolderAndWritesTheModelCheckpointAndHistory()
    {
        string folder = Path.Combine(_temp.Path, "runs", "vae");
        var observer = new CountingObserver();
        var result = TrainingRun.Train(Options(3), s_mnist.Value, folder, observer);

        Assert.Equal(3, result.History.Epochs.Count);
        Assert.Equal(3, observer.Epochs);
        Assert.Equal(11, observer.StepsPerEpoch); // 540 training items (a tenth held out) in batches of 50
        foreach (var record in result.History.Epochs)
        {
            Assert.NotNull(record.Validation);
        }

        // A Bernoulli VAE that learned nothing scores about 784·ln 2 ≈ 543 nats per image; three short epochs
        // on 540 digits already reach well below that, and the loss falls from epoch to epoch.
        double first = result.History.Epochs[0].Train.Total, last = result.History.Epochs[^1].Train.Total;
        Assert.True(last < first, $"training loss rose from {first} to {last}");
        Assert.True(last < 300, $"training loss {last} after three epochs");
        Assert.True(result.History.Epochs[^1].Validation!.Value.Total < 300);

        string[] files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal([RunFiles.CheckpointFileName, .. RunFiles.HistoryFileNames, RunFiles.ModelFileName, RunFiles.RunDataFileName], files);

        var file = SafeTensors.Read(RunFiles.ModelPath(folder));
        Assert.Equal("mnist-10k", file.Metadata[RunFiles.DataMetadataKey]);
        Assert.Equal("vae", file.Metadata[ModelFile.PresetKey]);
        var loaded = RunFiles.LoadModel(folder);
        foreach (((string name, Tensor a), (_, Tensor b)) in result.Model.StateDict().Zip(loaded.StateDict()))
        {
            Assert.True(a.Span.SequenceEqual(b.Span), $"{name} differs in the saved model");
        }

        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, RunFiles.HistoryCsvFileName)).Length);
        var history = RunFiles.LoadHistory(folder)!;
        Assert.Equal(result.History.Epochs.Select(e => e.Train.Total), history.Epochs.Select(e => e.Train.Total));
    }

    [Fact]
    public void ResumingContinuesFromTheFoldersCheckpointAsAnUninterruptedRun()
    {
        string straight = Path.Combine(_temp.Path, "straight"), resumed = Path.Combine(_temp.Path, "resumed");
        var expected = TrainingRun.Train(Options(3), s_mnist.Value, straight);
        TrainingRun.Train(Options(2), s_mnist.Value, resumed);
        var result = TrainingRun.Train(Options(3, resume: true), s_mnist.Value, resumed);

        Assert.Equal(3, result.History.Epochs.Count);
        Assert.Equal(expected.History.Epochs.Select(e => e.Train.Total), result.History.Epochs.Select(e => e.Train.Total));
        Assert.Equal(File.ReadAllBytes(RunFiles.ModelPath(straight)), File.ReadAllBytes(RunFiles.ModelPath(resumed)));
        Assert.Equal(3, RunFiles.LoadHistory(resumed)!.Epochs.Count);
    }

    [Fact]
    public void ResumingWithoutACheckpointSaysSoAndCreatesNoFolder()
    {
        string folder = Path.Combine(_temp.Path, "runs", "none");
        var error = Assert.Throws<FileNotFoundException>(() => TrainingRun.Train(Options(2, resume: true), s_mnist.Value, folder));
        Assert.Contains("no checkpoint to resume from", error.Message, StringComparison.Ordinal);
        Assert.Contains(RunFiles.CheckpointFileName, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "runs")));
    }

    [Fact]
    public void BadOptionsAndDataAreRejectedBeforeAnyFolderIsCreated()
    {
        string folder = Path.Combine(_temp.Path, "bad");
        var moons = new DatasetCatalog().Load("moons");
        var wrongSize = Assert.Throws<ArgumentException>(() => TrainingRun.Train(Options(1), moons, folder));
        Assert.Contains("the model takes 784", wrongSize.Message, StringComparison.Ordinal);

        var options = Options(1) with { Model = Presets.Defaults("vae", 2) with { Hidden = [8], Latent = 1 } };
        var range = Assert.Throws<ArgumentException>(() => TrainingRun.Train(options, moons, folder));
        Assert.Contains("Bernoulli likelihood takes values in [0, 1]", range.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => TrainingRun.Train(Options(1) with { ValidationFraction = 1 }, s_mnist.Value, folder));
        Assert.Throws<ArgumentException>(() => TrainingRun.Train(Options(1) with { Trainer = new TrainerOptions { Epochs = 0 } }, s_mnist.Value, folder));
        Assert.False(Directory.Exists(folder));

        // The same moons train with a Gaussian likelihood: data in their own units are fine there.
        var gaussian = options with { Model = options.Model with { Likelihood = LikelihoodKind.Gaussian }, Trainer = options.Trainer with { CheckpointEvery = 0 } };
        TrainingRun.Train(gaussian, moons, folder);
        Assert.True(File.Exists(RunFiles.ModelPath(folder)));
    }

    [Fact]
    public void AFailedRunRemovesTheFoldersItCreatedWhileEmptyAndKeepsOthers()
    {
        string parent = Path.Combine(_temp.Path, "runs");
        string folder = Path.Combine(parent, "failed");
        Assert.Throws<InvalidOperationException>(() => TrainingRun.Train(Options(2), s_mnist.Value, folder, new FailingObserver(afterEpochs: 0)));
        Assert.False(Directory.Exists(parent));

        // An existing folder stays, and so does a checkpoint written before the failure.
        Directory.CreateDirectory(folder);
        Assert.Throws<InvalidOperationException>(() => TrainingRun.Train(Options(2), s_mnist.Value, folder, new FailingObserver(afterEpochs: 0)));
        Assert.True(Directory.Exists(folder));
        Directory.Delete(parent, recursive: true);

        Assert.Throws<InvalidOperationException>(() => TrainingRun.Train(Options(3), s_mnist.Value, folder, new FailingObserver(afterEpochs: 1)));
        // The checkpoint can be resumed, so the record of its data stays beside it.
        Assert.Equal([RunFiles.CheckpointFileName, RunFiles.RunDataFileName], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WithoutCheckpointsARunWritesOnlyTheModelAndHistory()
    {
        string folder = Path.Combine(_temp.Path, "plain");
        var options = Options(1, checkpointEvery: 0) with { ValidationFraction = 0 };
        var result = TrainingRun.Train(options, s_mnist.Value, folder);
        Assert.Null(result.History.Epochs[0].Validation);
        string[] files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal([.. RunFiles.HistoryFileNames, RunFiles.ModelFileName, RunFiles.RunDataFileName], files);
    }

    [Fact]
    public void LoadModelNamesTheMissingFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RunFiles.LoadModel(_temp.Path));
        Assert.Contains(Path.Combine(_temp.Path, RunFiles.ModelFileName), error.Message, StringComparison.Ordinal);
        Assert.Null(RunFiles.LoadHistory(_temp.Path));
    }

    private sealed class CountingObserver : ITrainingObserver
    {
        public int Epochs { get; private set; }

        public int StepsPerEpoch { get; private set; }

        public void TrainingStarted(int firstEpoch, int epochs, int stepsPerEpoch) => StepsPerEpoch = stepsPerEpoch;

        public void EpochCompleted(EpochRecord record) => Epochs++;
    }

    private sealed class FailingObserver(int afterEpochs) : ITrainingObserver
    {
        private int _epochs;

        public void TrainingStarted(int firstEpoch, int epochs, int stepsPerEpoch)
        {
            if (afterEpochs == 0)
            {
                throw new InvalidOperationException("stop");
            }
        }

        public void EpochCompleted(EpochRecord record)
        {
            if (++_epochs >= afterEpochs)
            {
                throw new InvalidOperationException("stop");
            }
        }
    }
}
