using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Training;

/// <summary>Training from feature sources, the checkpoint's options and the resume checks.</summary>
public sealed class TrainerSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static TrainerOptions Options(int epochs, string? checkpoint) =>
        new() { Epochs = epochs, BatchSize = 37, LearningRate = 3e-3f, CheckpointPath = checkpoint, Seed = 5 };

    [Fact]
    public void TrainingOnADatasetAndOnTheSameMappedFileGivesTheSameModelBitwise()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 300);
        var validation = ModelTestData.Rows(ModelTestData.Digits, 300, 60);
        string trainPath = _folder.File("train.npy"), validationPath = _folder.File("validation.npy");
        Npy.Write(trainPath, new NumericArray([300, 64], train.ToArray()), ElementType.Float32);
        Npy.Write(validationPath, new NumericArray([60, 64], validation.ToArray()), ElementType.Float32);
        var options = ModelTestData.Small("vae");

        var fromMemory = new Trainer(Options(3, null)).Fit(new Autoencoder(options), new Dataset("train", train), new Dataset("validation", validation));
        using var mappedTrain = MappedSource.Open(trainPath);
        using var mappedValidation = MappedSource.Open(validationPath);
        var fromFile = new Trainer(Options(3, null)).Fit(new Autoencoder(options), mappedTrain, mappedValidation);
        var fromTensor = new Trainer(Options(3, null)).Fit(new Autoencoder(options), train, validation);

        foreach (var other in new[] { fromFile, fromTensor })
        {
            foreach (((string name, Tensor a), (_, Tensor b)) in fromMemory.Model.StateDict().Zip(other.Model.StateDict()))
            {
                Assert.True(a.Span.SequenceEqual(b.Span), $"{name} differs");
            }

            Assert.Equal(fromMemory.History.Epochs.Select(e => e.Train), other.History.Epochs.Select(e => e.Train));
            Assert.Equal(fromMemory.History.Epochs.Select(e => e.Validation), other.History.Epochs.Select(e => e.Validation));
        }
    }

    [Fact]
    public void TheCheckpointStoresTheOptionsAndTheOptimizer()
    {
        string path = _folder.File("c.safetensors");
        var options = Options(1, path) with { Optimizer = OptimizerKind.AdamW, WeightDecay = 0.01f, Schedule = ScheduleKind.Cosine };
        new Trainer(options).Fit(new Autoencoder(ModelTestData.Small("ae")), ModelTestData.Rows(ModelTestData.Digits, 0, 100));

        var metadata = SafeTensors.Read(path).Metadata;
        Assert.Equal(options, TrainerOptions.FromJson(metadata["trainer.options"]));
        Assert.Contains("\"optimizer\":\"adamw\"", metadata["trainer.options"]);
        Assert.Contains("\"schedule\":\"cosine\"", metadata["trainer.options"]);
        Assert.StartsWith("{\"kind\":\"adamw\",\"lr\":0.003,", metadata["trainer.optimizer"]);
        Assert.Contains("\"weight_decay\":0.01", metadata["trainer.optimizer"]);
        Assert.Equal(Batcher.StateWords, metadata["trainer.batcher_rng"].Split(' ').Length);
        Assert.False(metadata.ContainsKey("trainer.shuffle_rng"));
    }

    [Fact]
    public void ResumeRefusesAChangedOptimizerNamingIt()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 100);
        string path = _folder.File("r.safetensors");
        new Trainer(Options(1, path)).Fit(new Autoencoder(ModelTestData.Small("ae")), train);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(Options(2, path) with { Optimizer = OptimizerKind.Sgd }).Resume(path, train));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("the checkpoint was trained with optimizer adam (lr 0.003, beta1 0.9, beta2 0.999, eps 1E-08, weight decay 0)", error.Message);
        Assert.Contains("this run asks for sgd (lr 0.003, momentum 0.9, weight decay 0)", error.Message);

        error = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(Options(2, path) with { LearningRate = 0.01f, BatchSize = 50, Seed = 6 }).Resume(path, train));
        Assert.Contains("trained with adam lr 0.003 and batch size 37 and seed 5; this run asks for lr 0.01 and batch size 50 and seed 6", error.Message);
    }

    [Fact]
    public void ResumeAcceptsAChangedEpochCountPatienceAndSchedule()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 150);
        var validation = ModelTestData.Rows(ModelTestData.Digits, 150, 50);
        var model = ModelTestData.Small("ae");
        string path = _folder.File("e.safetensors");
        new Trainer(Options(2, path)).Fit(new Autoencoder(model), train, validation);

        var resumed = new Trainer(Options(4, path) with { Patience = 3, Schedule = ScheduleKind.Step, DecayEvery = 1, CheckpointEvery = 2 }).Resume(path, train, validation);
        Assert.Equal(4, resumed.History.Epochs.Count);
        Assert.Equal(3e-3f * 0.1f * 0.1f, resumed.History.Epochs[2].LearningRate, 6);

        // With the same options the resumed run equals the straight one (the batcher's state carries over).
        string again = _folder.File("f.safetensors");
        new Trainer(Options(2, again)).Fit(new Autoencoder(model), train, validation);
        var continued = new Trainer(Options(4, again)).Resume(again, train, validation);
        var straight = new Trainer(Options(4, null)).Fit(new Autoencoder(model), train, validation);
        Assert.Equal(straight.History.Epochs.Select(e => e.Train), continued.History.Epochs.Select(e => e.Train));
    }

    [Fact]
    public void ACheckpointWithTheOlderShuffleStateStillResumes()
    {
        // Checkpoints written before the batcher held the shuffle state stored it as "trainer.shuffle_rng"
        // (four words, the same stream) and had no options: they resume unchecked, bitwise as before.
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 120);
        var model = ModelTestData.Small("ae");
        string path = _folder.File("old.safetensors");
        new Trainer(Options(1, path)).Fit(new Autoencoder(model), train);
        var file = SafeTensors.Read(path);
        var metadata = file.Metadata.ToDictionary();
        metadata["trainer.shuffle_rng"] = string.Join(' ', metadata["trainer.batcher_rng"].Split(' ').Take(4));
        metadata.Remove("trainer.batcher_rng");
        metadata.Remove("trainer.options");
        metadata.Remove("trainer.optimizer");
        SafeTensors.Write(path, file.Tensors, metadata);

        var resumed = new Trainer(Options(3, path) with { Seed = 99 }).Resume(path, train);
        var straight = new Trainer(Options(3, null)).Fit(new Autoencoder(model), train);
        Assert.Equal(straight.History.Epochs.Select(e => e.Train), resumed.History.Epochs.Select(e => e.Train));
    }
}
