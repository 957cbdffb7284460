using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Tests.Training;

public class RunFolderLockTests
{
    private static Dataset SmallDigits() => UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8")).Take(120);

    private static TrainingRunOptions SmallRun(int inputs) => new()
    {
        Model = Presets.Defaults("ae", inputs) with { Latent = 2, Hidden = [8] },
        Trainer = new TrainerOptions { Epochs = 1, BatchSize = 40, CheckpointEvery = 0 },
    };

    [Fact]
    public void ASecondWriterIsRefusedUntilTheFirstLetsGo()
    {
        using var folder = new TempFolder();
        using (RunFolderLock.Acquire(folder.Path))
        {
            var error = Assert.Throws<IOException>(() => RunFolderLock.Acquire(folder.Path));
            Assert.Contains("another latent run is writing this run folder", error.Message);
            var data = SmallDigits();
            var training = Assert.Throws<IOException>(() => TrainingRun.Train(SmallRun(data.Dimension), data, folder.Path));
            Assert.Contains(folder.Path, training.Message);
            Assert.False(File.Exists(RunFiles.ModelPath(folder.Path)));
        }

        Assert.False(File.Exists(folder.File(RunFolderLock.FileName)));
        using (RunFolderLock.Acquire(folder.Path))
        {
        }
    }

    [Fact]
    public void ARunRemovesTheTemporaryFilesOfAKilledSaveAndKeepsOtherFiles()
    {
        using var folder = new TempFolder();
        string stale = folder.File($".model.safetensors.999999.{Guid.NewGuid():N}.tmp");
        string other = folder.File(".notes.tmp");
        File.WriteAllText(stale, "half a model");
        File.WriteAllText(other, "not ours");
        var data = SmallDigits();
        TrainingRun.Train(SmallRun(data.Dimension), data, folder.Path);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(RunFiles.ModelPath(folder.Path)));
        Assert.False(File.Exists(folder.File(RunFolderLock.FileName)));
        Assert.Equal(0, AtomicFile.RemoveTemporaries(folder.Path));
    }

    [Fact]
    public void AFailedRunLeavesNoFolderBehind()
    {
        using var folder = new TempFolder();
        string run = Path.Combine(folder.Path, "a", "b");
        var data = SmallDigits();
        var wrong = SmallRun(data.Dimension + 1);
        Assert.Throws<ArgumentException>(() => TrainingRun.Train(wrong, data, run));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "a")));
    }
}
