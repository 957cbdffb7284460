using Latent.Models;
using Latent.Optim;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Optim;

public sealed class AdagradRmsPropResumeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"latent-optim-resume-{Guid.NewGuid():N}");

    public AdagradRmsPropResumeTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Runs => new() { "adagrad", "rmsprop", "rmsprop-centered-momentum" };

    [Theory]
    [MemberData(nameof(Runs))]
    public void ResumeEqualsAnUninterruptedRunBitwise(string which)
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 300);
        var validation = ModelTestData.Rows(ModelTestData.Digits, 300, 100);
        var model = ModelTestData.Small("ae");

        var straight = new Trainer(Options(which, 4, Path.Combine(_folder, "a.safetensors"))).Fit(new Autoencoder(model), train, validation);
        string partial = Path.Combine(_folder, "b.safetensors");
        new Trainer(Options(which, 2, partial)).Fit(new Autoencoder(model), train, validation);
        var resumed = new Trainer(Options(which, 4, partial)).Resume(partial, train, validation);

        Assert.Equal(4, resumed.History.Epochs.Count);
        foreach (((string name, Tensor a), (_, Tensor b)) in straight.Model.StateDict().Zip(resumed.Model.StateDict()))
        {
            Assert.True(a.Span.SequenceEqual(b.Span), $"{which}: {name} differs after resuming");
        }

        Assert.Equal(straight.History.Epochs.Select(e => e.Train), resumed.History.Epochs.Select(e => e.Train));
        Assert.True(straight.History.Epochs[^1].Train.Total < straight.History.Epochs[0].Train.Total, $"{which} does not train");

        // The checkpoint holds the optimizer's PyTorch-named state and its resolved hyperparameters.
        var checkpoint = Checkpoint.Load(partial);
        string slot = which == "adagrad" ? "sum" : "square_avg";
        Assert.Contains($"state.0.{slot}", checkpoint.OptimizerState.Keys);
        if (which != "adagrad")
        {
            Assert.Equal(which == "rmsprop" ? 0f : 1f, checkpoint.OptimizerHyperparameters!["centered"]);
        }
    }

    [Fact]
    public void ResumeRefusesAChangedRmsPropSetting()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 100);
        string path = Path.Combine(_folder, "c.safetensors");
        new Trainer(Options("rmsprop", 1, path)).Fit(new Autoencoder(ModelTestData.Small("ae")), train);
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(Options("rmsprop", 2, path) with { Centered = true, RmsPropAlpha = 0.9f }).Resume(path, train));
        Assert.Contains("trained with rmsprop alpha 0.95 and centered false; this run asks for alpha 0.9 and centered true", error.Message);

        // An unset learning rate and the optimizer's default are the same run.
        Assert.Equal(2, new Trainer(Options("rmsprop", 2, path) with { LearningRate = 1e-2f }).Resume(path, train).History.Epochs.Count);
    }

    private static TrainerOptions Options(string which, int epochs, string checkpoint)
    {
        var options = new TrainerOptions { Epochs = epochs, BatchSize = 50, CheckpointPath = checkpoint, Seed = 11 };
        return which switch
        {
            "adagrad" => options with { Optimizer = OptimizerKind.Adagrad, LearningRate = 0.05f, LearningRateDecay = 1e-3f, InitialAccumulator = 0.1f, WeightDecay = 1e-4f },
            "rmsprop" => options with { Optimizer = OptimizerKind.RmsProp, RmsPropAlpha = 0.95f, Momentum = null },
            _ => options with { Optimizer = OptimizerKind.RmsProp, LearningRate = 1e-3f, Momentum = 0.5f, Centered = true, WeightDecay = 1e-4f },
        };
    }
}
