using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Training;

public class FineTuningTests
{
    // Two interleaved half-moons: no line separates them, a small network does.
    private static readonly Dataset s_moons = Synthetic.Moons(800, seed: 5, noise: 0.08f);

    private static Autoencoder Pretrained()
    {
        var options = Presets.Defaults("ae", 2) with { Encoder = "fc32", Decoder = "fc32", Latent = 16, Likelihood = LikelihoodKind.Gaussian, Seed = 1 };
        var model = new Autoencoder(options);
        (var train, _) = s_moons.Split(0.25, 3);
        new Trainer(new TrainerOptions { Epochs = 20, BatchSize = 32, LearningRate = 3e-3f, CheckpointEvery = 0, Seed = 2 }).Fit(model, train.Features);
        return model;
    }

    [Fact]
    public void FineTuningBeatsTheLinearProbeOnRawInputs()
    {
        var pretrained = Pretrained();
        var raw = LinearProbe.Measure(s_moons, 0.25, 3);
        var options = new FineTuningOptions { Epochs = 40, BatchSize = 32, LearningRate = 3e-3f, ValidationFraction = 0.25, Seed = 3 };
        var tuned = FineTuning.Run(pretrained, s_moons, options);
        var scratch = FineTuning.Run(pretrained, s_moons, options with { FromScratch = true });

        Assert.Equal(200, tuned.HeldOutItems);
        Assert.Equal(600, tuned.TrainItems);
        Assert.True(raw.HeldOutError > 0.08, $"the moons should defeat a linear classifier; its held-out error is {raw.HeldOutError}");
        Assert.True(tuned.HeldOutError < raw.HeldOutError / 2, $"fine-tuned error {tuned.HeldOutError} against the linear probe's {raw.HeldOutError}");
        Assert.True(scratch.HeldOutError < raw.HeldOutError, $"from-scratch error {scratch.HeldOutError} against the linear probe's {raw.HeldOutError}");
        Assert.True(tuned.History[^1].TrainLoss < tuned.History[0].TrainLoss, "the training cross-entropy should fall");
        Assert.Equal(40, tuned.History.Count);
    }

    [Fact]
    public void FineTuningLeavesThePretrainedModelUnchangedAndStartsFromIt()
    {
        var pretrained = Pretrained();
        var before = pretrained.StateDict().ToDictionary(e => e.Key, e => e.Value.ToArray());
        var classifier = Classifier.FromAutoencoder(pretrained, 2, seed: 4);
        var encoderWeight = classifier.StateDict()["encoder.0.weight"].ToArray();
        Assert.Equal(before["encoder.0.weight"], encoderWeight);
        Assert.Equal(["encoder.0.weight", "encoder.0.bias", "bottleneck.linear.weight", "bottleneck.linear.bias", "head.weight", "head.bias"], classifier.StateDict().Keys);

        FineTuning.Run(pretrained, s_moons, new FineTuningOptions { Epochs = 2, ValidationFraction = 0.25 });
        foreach ((string name, Tensor value) in pretrained.StateDict())
        {
            Assert.Equal(before[name], value.ToArray());
        }

        var scratch = new Classifier(pretrained.Options with { Seed = 99 }, 2);
        Assert.NotEqual(encoderWeight, scratch.StateDict()["encoder.0.weight"].ToArray());
    }

    [Fact]
    public void ClassifierRoundTripsThroughItsFile()
    {
        using var folder = new TempFolder();
        var tuned = FineTuning.Run(Pretrained(), s_moons, new FineTuningOptions { Epochs = 3, ValidationFraction = 0.25 }).Model;
        string path = folder.File("classifier.safetensors");
        tuned.Save(path);
        var loaded = Classifier.Load(path);
        Assert.Equal(2, loaded.Classes);
        Assert.Equal(tuned.Predict(s_moons), loaded.Predict(s_moons));

        Assert.Throws<Latent.Serialization.DataFormatException>(() => Classifier.Load(WriteAutoencoder(folder)));
    }

    [Fact]
    public void OptionsAndDataAreChecked()
    {
        var pretrained = new Autoencoder(Presets.Defaults("ae", 2) with { Encoder = "fc4", Decoder = "fc4", Latent = 2 });
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => new FineTuningOptions { Epochs = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("ValidationFraction", Assert.Throws<ArgumentException>(() => new FineTuningOptions { ValidationFraction = 1 }.Validate()).Message, StringComparison.Ordinal);
        var unlabelled = new Dataset("plain", s_moons.Features);
        Assert.Contains("no labels", Assert.Throws<ArgumentException>(() => FineTuning.Run(pretrained, unlabelled, new FineTuningOptions())).Message, StringComparison.Ordinal);
        var wide = new Dataset("wide", Tensor.Zeros(10, 3), [.. Enumerable.Range(0, 10).Select(i => i % 2)]);
        Assert.Contains("3 features", Assert.Throws<ArgumentException>(() => FineTuning.Run(pretrained, wide, new FineTuningOptions())).Message, StringComparison.Ordinal);
    }

    private static string WriteAutoencoder(TempFolder folder)
    {
        string path = folder.File("ae.safetensors");
        ModelFile.Save(new Autoencoder(Presets.Defaults("ae", 2) with { Encoder = "fc4", Decoder = "fc4", Latent = 2 }), path);
        return path;
    }
}
