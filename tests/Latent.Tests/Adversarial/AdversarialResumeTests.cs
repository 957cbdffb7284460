using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Adversarial;

/// <summary>
/// An adversarial run stopped at an epoch's end and resumed from its checkpoint ends bitwise where the uninterrupted
/// run ends (parameters, batch-norm buffers and every epoch's losses and metrics), through the trainer and through a
/// run folder; a resume that would change the optimisation, or one of the wrong family, is refused by name.
/// </summary>
public sealed class AdversarialResumeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A DCGAN-like pair for the 8×8 digits: deconvolution generator, strided convolutions with batch norm and leaky ReLU.</summary>
    internal static AdversarialOptions SmallDcgan => new()
    {
        Preset = "dcgan",
        Inputs = 64,
        InputShape = new ImageShape(1, 8, 8),
        Noise = 8,
        Generator = "fc64:none,bn:relu,unflatten4x4x4,deconv1k4s2p1:sigmoid",
        Discriminator = "conv4k4s2p1:leaky-relu0.2,conv8k4s2p1:none,bn:leaky-relu0.2,flatten",
        Seed = 2,
    };

    /// <summary>The same with one continuous and one 3-way categorical code, k = 2 and one-sided label smoothing.</summary>
    internal static AdversarialOptions SmallInfogan => SmallDcgan with
    {
        Preset = "infogan",
        Noise = 4,
        ContinuousCodes = 1,
        CategoricalCodes = [3],
        Recognition = "fc8:none,bn:leaky-relu0.2",
        DiscriminatorSteps = 2,
        LabelSmoothing = 0.1f,
    };

    private static TensorSource Digits(int count) => new(ModelTestData.Rows(ModelTestData.Digits, 0, count), "digits");

    private static TrainerOptions Trainer(int epochs, string? checkpoint) => new()
    {
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 2e-3f,
        DiscriminatorLearningRate = 1e-3f,
        Beta1 = 0.5f,
        CheckpointPath = checkpoint,
        Seed = 11,
    };

    public static TheoryData<string, int> Runs() => new()
    {
        { "dcgan", 96 },   // 3 batches per epoch, k = 1
        { "infogan", 96 }, // 3 batches per epoch: not a multiple of k = 2, so an epoch ends between generator steps
        { "infogan", 128 }, // 4 batches per epoch, a multiple of k
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void ResumingFromTheSecondEpochEqualsTheUninterruptedRunBitwise(string kind, int items)
    {
        var options = kind == "dcgan" ? SmallDcgan : SmallInfogan;
        var data = Digits(items);
        var straight = new AdversarialTrainer(Trainer(4, _temp.File("straight.safetensors"))).Fit(new AdversarialNetwork(options), data);

        string partial = _temp.File("partial.safetensors");
        var first = new AdversarialTrainer(Trainer(2, partial)).Fit(new AdversarialNetwork(options), data);
        Assert.Equal(2, first.History.Epochs.Count);
        var resumed = new AdversarialTrainer(Trainer(4, partial)).Resume(partial, data, options);

        AssertSameRun(straight.Network, straight.History, resumed.Network, resumed.History);
    }

    [Fact]
    public void ARunFolderResumedFromItsCheckpointEqualsTheUninterruptedRunBitwise()
    {
        var data = Digits(96);
        string straight = Path.Combine(_temp.Path, "straight"), interrupted = Path.Combine(_temp.Path, "interrupted");
        AdversarialTrainingRun.Train(RunOptions(4), data, straight);
        AdversarialTrainingRun.Train(RunOptions(2), data, interrupted);
        Assert.Equal(2, RunFiles.LoadHistory(interrupted)!.Epochs.Count);
        var resumed = AdversarialTrainingRun.Train(RunOptions(4) with { Resume = true }, data, interrupted);
        Assert.Equal(4, resumed.History.Epochs.Count);

        // What the folders hold, read back from disk: the model file and the history.
        AssertSameRun(
            AdversarialModelFile.Load(RunFiles.ModelPath(straight)),
            RunFiles.LoadHistory(straight)!,
            AdversarialModelFile.Load(RunFiles.ModelPath(interrupted)),
            RunFiles.LoadHistory(interrupted)!);

        // A GAN's history records its one loss (D + G) and its own terms as metrics, no autoencoder columns.
        Assert.Equal(["loss"], RunFiles.LoadHistory(interrupted)!.TermNames);
        Assert.Equal(
            "epoch,loss,val_loss,learning_rate,seconds,discriminator_loss,generator_loss,real_score,fake_score,information",
            File.ReadLines(Path.Combine(interrupted, "history.csv")).First());
    }

    [Fact]
    public void ResumingWithAChangedNetworkOptionNamesTheDifference()
    {
        var data = Digits(64);
        string path = _temp.File("run.safetensors");
        new AdversarialTrainer(Trainer(1, path)).Fit(new AdversarialNetwork(SmallInfogan), data);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new AdversarialTrainer(Trainer(2, path)).Resume(path, data, SmallInfogan with { DiscriminatorSteps = 3, LabelSmoothing = 0.2f }));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("discriminatorSteps 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("discriminatorSteps 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("labelSmoothing 0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);

        // Through a run folder the same options reach the trainer's check.
        string folder = Path.Combine(_temp.Path, "folder");
        AdversarialTrainingRun.Train(RunOptions(1), data, folder);
        var changed = RunOptions(2) with { Resume = true, Network = SmallInfogan with { Noise = 5 } };
        error = Assert.Throws<InvalidOperationException>(() => AdversarialTrainingRun.Train(changed, data, folder));
        Assert.Contains("noise 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("noise 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumingWithAChangedDiscriminatorLearningRateNamesIt()
    {
        var data = Digits(64);
        string path = _temp.File("run.safetensors");
        new AdversarialTrainer(Trainer(1, path)).Fit(new AdversarialNetwork(SmallDcgan), data);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new AdversarialTrainer(Trainer(2, path) with { DiscriminatorLearningRate = 5e-4f }).Resume(path, data));
        Assert.Contains("discriminator lr 0.001", error.Message, StringComparison.Ordinal);
        Assert.Contains("discriminator lr 0.0005", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<InvalidOperationException>(() =>
            new AdversarialTrainer(Trainer(2, path) with { DiscriminatorLearningRate = null }).Resume(path, data));
        Assert.Contains("discriminator lr (the generator's)", error.Message, StringComparison.Ordinal);

        // The generator's rate is the optimizer's own and is named as such.
        error = Assert.Throws<InvalidOperationException>(() =>
            new AdversarialTrainer(Trainer(2, path) with { LearningRate = 1e-2f }).Resume(path, data));
        Assert.Contains("lr 0.002", error.Message, StringComparison.Ordinal);
        Assert.Contains("lr 0.01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachTrainerRefusesTheOtherFamilysCheckpointSayingWhichToUse()
    {
        var data = Digits(64);
        string adversarial = _temp.File("gan.safetensors"), autoencoder = _temp.File("ae.safetensors");
        new AdversarialTrainer(Trainer(1, adversarial)).Fit(new AdversarialNetwork(SmallDcgan), data);
        new Trainer(Trainer(1, autoencoder) with { DiscriminatorLearningRate = null }).Fit(new Autoencoder(ModelTestData.Small("ae")), data);

        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(Trainer(2, adversarial)).Resume(adversarial, data));
        Assert.Contains("holds an adversarial network (dcgan)", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AdversarialTrainer), error.Message, StringComparison.Ordinal);

        error = Assert.Throws<InvalidOperationException>(() => new AdversarialTrainer(Trainer(2, autoencoder)).Resume(autoencoder, data));
        Assert.Contains("holds an autoencoder (ae)", error.Message, StringComparison.Ordinal);
        Assert.Contains("continue it with Trainer", error.Message, StringComparison.Ordinal);
    }

    private static AdversarialRunOptions RunOptions(int epochs) => new() { Network = SmallInfogan, Trainer = Trainer(epochs, null) };

    private static void AssertSameRun(AdversarialNetwork expected, TrainingHistory expectedHistory, AdversarialNetwork actual, TrainingHistory actualHistory)
    {
        var left = expected.StateDict();
        var right = actual.StateDict();
        Assert.Equal(left.Keys, right.Keys);
        foreach ((string name, Tensor a) in left)
        {
            Assert.True(a.Span.SequenceEqual(right[name].Span), $"{name} differs after resuming");
        }

        Assert.Equal(expectedHistory.Epochs.Count, actualHistory.Epochs.Count);
        for (int e = 0; e < expectedHistory.Epochs.Count; e++)
        {
            var a = expectedHistory.Epochs[e];
            var b = actualHistory.Epochs[e];
            Assert.Equal(a.Epoch, b.Epoch);
            Assert.Equal(a.Train, b.Train);
            Assert.Equal(a.LearningRate, b.LearningRate);
            Assert.NotNull(a.Metrics);
            Assert.Equal(a.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal), b.Metrics!.OrderBy(m => m.Key, StringComparer.Ordinal));
        }
    }
}
