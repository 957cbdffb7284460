using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Nn;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Models;

public sealed class TiedAndDropoutTests : IDisposable
{
    private static readonly Lazy<Tensor> s_mnist = new(() => new DatasetCatalog().Load("mnist-10k").ScaleToUnit().Features);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"latent-tied-{Guid.NewGuid():N}");

    public TiedAndDropoutTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TiedKSparseTrainsOnMnistAndRoundTripsWithOneWeight()
    {
        var train = ModelTestData.Rows(s_mnist.Value, 0, 2000);
        var test = ModelTestData.Rows(s_mnist.Value, 2000, 200);
        var options = Presets.Defaults("ksparse-ae", 784) with { Latent = 100, TopK = 25, TiedWeights = true, Seed = 3 };
        var model = new Autoencoder(options);

        // The state dict holds the code layer's weight once; the decoder owns only its bias.
        var names = model.StateDict().Keys.ToArray();
        Assert.Equal(["bottleneck.linear.weight", "bottleneck.linear.bias", "decoder.0.bias"], names);
        var tiedLinear = Assert.IsType<TiedLinear>(Assert.Single(model.Decoder.Children()).Module);
        Assert.Same(model.Bottleneck.Parameters().Single(p => p.Name == "linear.weight").Parameter, tiedLinear.Weight);
        Assert.Equal(3, model.ParameterVars().Count());

        double untrained = ModelTestData.MeanSquaredError(model, test);
        new Trainer(new TrainerOptions { Epochs = 10, BatchSize = 50, LearningRate = 3e-3f, CheckpointEvery = 0, Seed = 4 }).Fit(model, train);
        double trained = ModelTestData.MeanSquaredError(model, test);
        Assert.True(trained < 0.25 * untrained, $"tied k-sparse: test MSE {trained} after training, {untrained} before");

        string path = Path.Combine(_folder, "tied.safetensors");
        ModelFile.Save(model, path);
        var loaded = ModelFile.Load(path);
        Assert.True(loaded.Options.TiedWeights);
        Assert.Equal(names, loaded.StateDict().Keys);
        Assert.Equal(model.Reconstruct(test).ToArray(), loaded.Reconstruct(test).ToArray());
        Assert.Equal(model.Encode(test).ToArray(), loaded.Encode(test).ToArray());
    }

    [Fact]
    public void TiedDecoderIsTheEncoderWeightTransposed()
    {
        var options = ModelTestData.Small("linear-ae") with { TiedWeights = true };
        var model = new Autoencoder(options);
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 5);
        var codes = model.Encode(data);
        var decoded = model.Decode(codes);
        var weight = model.Bottleneck.Parameters().Single(p => p.Name == "linear.weight").Parameter.Value;
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                double sum = 0;
                for (int k = 0; k < options.Latent; k++)
                {
                    sum += (double)codes[i, k] * weight[k, j];
                }

                Assert.Equal(sum, decoded[i, j], 4);
            }
        }
    }

    [Fact]
    public void TiedWeightsNeedAModelWithoutHiddenLayers()
    {
        var error = Assert.Throws<ArgumentException>(() => new Autoencoder(ModelTestData.Small("ae") with { TiedWeights = true }));
        Assert.Contains("tied weights need a model without hidden layers", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        error = Assert.Throws<ArgumentException>(() => new Autoencoder(ModelTestData.Small("vae") with { Hidden = [], TiedWeights = true }));
        Assert.Contains("tied weights need a top-k or deterministic bottleneck", error.Message);
    }

    [Fact]
    public void DropLayersParseBuildAndFailClearly()
    {
        var layers = Architecture.Parse("fc20,drop0.5,fc10:tanh,drop0");
        Assert.Equal([LayerKind.FullyConnected, LayerKind.Dropout, LayerKind.FullyConnected, LayerKind.Dropout], layers.Select(l => l.Kind));
        Assert.Equal(0.5f, layers[1].Probability);
        var build = Architecture.Build(layers, LayerShape.FromFeatures(8), Activation.Relu, new Rng(1));
        Assert.Equal(10, build.Features);
        Assert.Equal(["0", "1", "2", "3", "4", "5"], build.Module.Children().Select(c => c.Name));
        Assert.Equal(0.5f, Assert.IsType<Dropout>(build.Module.Children().ElementAt(2).Module).P);

        Assert.Contains("encoder layer 2 'drop1': a dropout probability must be below 1",
            Assert.Throws<FormatException>(() => Architecture.Parse("fc20,drop1", "encoder")).Message);
        Assert.Contains("expected drop<p>", Assert.Throws<FormatException>(() => Architecture.Parse("drop")).Message);
        Assert.Contains("expected drop<p>", Assert.Throws<FormatException>(() => Architecture.Parse("drop-0.1")).Message);
        Assert.Contains("takes no activation", Assert.Throws<FormatException>(() => Architecture.Parse("drop0.2:relu")).Message);
    }

    [Fact]
    public void WithDropoutDropsAfterEachHiddenEncoderLayer()
    {
        var options = ModelTestData.Small("ae") with { Encoder = "fc48,fc24:tanh" };
        Assert.Equal("fc48,drop0.25,fc24:tanh,drop0.25", options.WithDropout(0.25f).Encoder);
        Assert.Equal(options.Decoder, options.WithDropout(0.25f).Decoder);
        Assert.Same(options, options.WithDropout(0f));
        Assert.Contains("has none", Assert.Throws<ArgumentException>(() => ModelTestData.Small("ksparse-ae").WithDropout(0.5f)).Message);
        Assert.Contains("already has dropout", Assert.Throws<ArgumentException>(() => options.WithDropout(0.25f).WithDropout(0.5f)).Message);
        Assert.Throws<ArgumentException>(() => options.WithDropout(1f));
        var roundTrip = AutoencoderOptions.FromJson(options.WithDropout(0.25f).ToJson());
        Assert.Equal("fc48,drop0.25,fc24:tanh,drop0.25", roundTrip.Encoder);
    }

    [Fact]
    public void DropoutAutoencoderTrainsDeterministicallyAndIsInactiveInEvaluation()
    {
        var train = ModelTestData.Rows(ModelTestData.Digits, 0, 400);
        var test = ModelTestData.Rows(ModelTestData.Digits, 400, 100);
        var options = ModelTestData.Small("ae").WithDropout(0.5f);
        Assert.Equal("fc48,drop0.5", options.Encoder);

        var first = new Autoencoder(options);
        double untrained = ModelTestData.MeanSquaredError(first, test);
        var trainer = new TrainerOptions { Epochs = 8, BatchSize = 50, LearningRate = 3e-3f, CheckpointEvery = 0, Seed = 9 };
        var a = new Trainer(trainer).Fit(first, train);
        var b = new Trainer(trainer).Fit(new Autoencoder(options), train);
        Assert.Equal(a.History.Epochs.Select(e => e.Train), b.History.Epochs.Select(e => e.Train));
        Assert.Equal(a.Model.Reconstruct(test).ToArray(), b.Model.Reconstruct(test).ToArray());
        Assert.True(ModelTestData.MeanSquaredError(a.Model, test) < 0.7 * untrained);

        // In evaluation the drop layers are the identity: the same weights without them give the same bits, and
        // repeated calls agree.
        var plain = new Autoencoder(ModelTestData.Small("ae"));
        plain.LoadStateDict(a.Model.StateDict());
        Assert.Equal(plain.Reconstruct(test).ToArray(), a.Model.Reconstruct(test).ToArray());
        Assert.Equal(plain.Encode(test).ToArray(), a.Model.Encode(test).ToArray());
        Assert.Equal(a.Model.Reconstruct(test).ToArray(), a.Model.Reconstruct(test).ToArray());

        // In training the masks are drawn: two losses of one batch differ, and differ from evaluation's.
        using var tape = new Tape();
        a.Model.Train();
        var rng = new Rng(1);
        float one = (float)a.Model.Loss(tape, test, rng).Terms.Total;
        tape.Reset();
        float two = (float)a.Model.Loss(tape, test, rng).Terms.Total;
        tape.Reset();
        Assert.NotEqual(one, two);
    }
}
