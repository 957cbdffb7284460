using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Latent.Models;
using Latent.Nn;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class ArchitectureModelTests
{
    /// <summary>The options JSON that format autoencoder/1 wrote for ModelTestData.Small("vae"), verbatim.</summary>
    private const string Version1Json =
        """{"preset":"vae","inputs":64,"hidden":[48],"latent":8,"activation":"relu","bottleneck":"gaussian","codeActivation":"identity","likelihood":"bernoulli","sigma":1,"beta":1,"topK":4,"topKAlpha":3,"infoAlpha":0,"mmdWeight":0,"mmdKernel":"inverse-multiquadratic","mmdScale":1,"sparsity":"none","sparsityWeight":0,"sparsityTarget":0.05,"noise":"none","noiseLevel":0,"codeNoise":1,"importanceSamples":0,"seed":1}""";

    /// <summary>
    /// SHA-256 prefixes of the initial state dicts (784 inputs, seed 7) as built before the architecture
    /// descriptions existed (the Mlp builder with Hidden = [400] or []): the presets must stay bitwise the same.
    /// </summary>
    public static TheoryData<string, string> PinnedPresets => new()
    {
        { "linear-ae", "D92EA6B69F3D4F41" },
        { "ae", "83EF9F4491F8A552" },
        { "denoising-ae", "83EF9F4491F8A552" },
        { "sparse-ae", "3A987ECFF8B0F27D" },
        { "ksparse-ae", "22251E2AEA25F2D9" },
        { "binary-ae", "CBC3820E944982A9" },
        { "vae", "DBD95B3313D8D34C" },
        { "beta-vae", "DBD95B3313D8D34C" },
        { "infovae", "DBD95B3313D8D34C" },
        { "iwae", "DBD95B3313D8D34C" },
    };

    [Theory]
    [MemberData(nameof(PinnedPresets))]
    public void PresetsAreBitwiseTheSameAsBefore(string preset, string hash)
    {
        Assert.Equal(hash, Hash(new Autoencoder(Presets.Defaults(preset) with { Seed = 7 })));
    }

    [Fact]
    public void DeeperMirroredModelsAreBitwiseTheSameAsBefore()
    {
        // Hidden = [48, 32] with tanh, and with identity activations, as the Mlp builder made them.
        Assert.Equal("B0BD32CC27D81F97", Hash(new Autoencoder(Presets.Defaults("vae", 64) with { Hidden = [48, 32], Activation = Activation.Tanh, Seed = 3 })));
        Assert.Equal("CD4993EFACD2D75F", Hash(new Autoencoder(Presets.Defaults("ae", 64) with { Hidden = [48, 32], Activation = Activation.Identity, Seed = 3 })));
    }

    [Fact]
    public void TheVaePresetDrawsEncoderBottleneckDecoderInOrder()
    {
        var model = new Autoencoder(Presets.Defaults("vae") with { Seed = 11 });
        var options = model.Options;
        var rng = new Rng(11);
        var encoder = new Sequential(new Linear(784, 400, rng), new Relu());
        var bottleneck = Bottleneck.Create(options, 400, rng);
        var decoder = new Sequential(new Linear(20, 400, rng), new Relu(), new Linear(400, 784, rng));
        var expected = new List<(string, Tensor)>();
        expected.AddRange(encoder.StateDict().Select(p => ("encoder." + p.Key, p.Value)));
        expected.AddRange(bottleneck.StateDict().Select(p => ("bottleneck." + p.Key, p.Value)));
        expected.AddRange(decoder.StateDict().Select(p => ("decoder." + p.Key, p.Value)));
        var actual = model.StateDict();
        Assert.Equal(expected.Select(e => e.Item1), actual.Keys);
        foreach ((string name, Tensor tensor) in expected)
        {
            Assert.Equal(tensor.ToArray(), actual[name].ToArray());
        }
    }

    [Fact]
    public void HiddenMirrorsExplicitly()
    {
        var options = new AutoencoderOptions { Hidden = [512, 256] };
        Assert.Equal("fc512,fc256", options.Encoder);
        Assert.Equal("fc256,fc512", options.Decoder);
        Assert.DoesNotContain("hidden", options.ToJson(), StringComparison.Ordinal);
        Assert.Equal(("", ""), (Presets.Defaults("linear-ae").Encoder, Presets.Defaults("linear-ae").Decoder));
        Assert.Equal(("fc400", "fc400"), (Presets.Defaults("iwae").Encoder, Presets.Defaults("iwae").Decoder));
    }

    [Fact]
    public void AnAsymmetricModelTrainsAndRoundTripsThroughItsFile()
    {
        var model = new Autoencoder(ModelTestData.Small("ae", o => o with
        {
            Encoder = "fc48,fc32:tanh",
            Decoder = "fc24,fc40:sigmoid,fc56:none",
            InputShape = new ImageShape(1, 8, 8),
        }));
        Assert.Equal(32, model.Features);
        Assert.Equal(
            ["encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "bottleneck.linear.weight", "bottleneck.linear.bias",
             "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias", "decoder.4.weight", "decoder.4.bias", "decoder.5.weight", "decoder.5.bias"],
            model.Parameters().Select(p => p.Name));
        Assert.IsType<Tanh>(model.Encoder[3]);
        Assert.IsType<Sigmoid>(model.Decoder[3]);
        Assert.Equal([56, 40], model.StateDict()["decoder.4.weight"].Shape);
        Assert.Equal([64, 56], model.StateDict()["decoder.5.weight"].Shape);

        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 512);
        var before = model.Evaluate(data, new Rng(1)).Total;
        ModelTestData.Train(model, data, epochs: 8);
        var after = model.Evaluate(data, new Rng(1)).Total;
        Assert.True(after < 0.8 * before, $"loss {before} → {after}");

        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        ModelFile.Save(model, path);
        var file = SafeTensors.Read(path);
        Assert.Equal("autoencoder/2", file.Metadata[ModelFile.FormatKey]);
        Assert.Contains("\"encoder\":\"fc48,fc32:tanh\"", file.Metadata[ModelFile.OptionsKey], StringComparison.Ordinal);
        Assert.Contains("\"inputShape\":{\"channels\":1,\"height\":8,\"width\":8}", file.Metadata[ModelFile.OptionsKey], StringComparison.Ordinal);
        var loaded = ModelFile.Load(path);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(new ImageShape(1, 8, 8), loaded.Options.InputShape);
        Assert.Equal(model.Reconstruct(data).ToArray(), loaded.Reconstruct(data).ToArray());
        Assert.Equal(model.Encode(data).ToArray(), loaded.Encode(data).ToArray());
    }

    [Theory]
    [InlineData(new[] { 48 }, "fc48", "fc48")]
    [InlineData(new[] { 48, 32 }, "fc48,fc32", "fc32,fc48")]
    [InlineData(new int[0], "", "")]
    public void AVersion1FileLoadsAsTheSameModel(int[] hidden, string encoder, string decoder)
    {
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Encoder = encoder, Decoder = decoder }));
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 256);
        ModelTestData.Train(model, data, epochs: 1);
        string json = Version1Json.Replace("\"hidden\":[48]", $"\"hidden\":[{string.Join(',', hidden)}]", StringComparison.Ordinal);
        using var folder = new TempFolder();
        string path = folder.File("v1.safetensors");
        SafeTensors.Write(path, model.StateDict(), new Dictionary<string, string>
        {
            [ModelFile.FormatKey] = "autoencoder/1",
            [ModelFile.PresetKey] = "vae",
            [ModelFile.OptionsKey] = json,
        });

        var loaded = ModelFile.Load(path);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal((encoder, decoder), (loaded.Options.Encoder, loaded.Options.Decoder));
        Assert.Null(loaded.Options.InputShape);
        Assert.Equal(model.Encode(data).ToArray(), loaded.Encode(data).ToArray());
        Assert.Equal(model.Reconstruct(data).ToArray(), loaded.Reconstruct(data).ToArray());
        Assert.Equal(model.Score(data, new Rng(4)), loaded.Score(data, new Rng(4)));
    }

    [Theory]
    [InlineData("autoencoder/3")]
    [InlineData("autoencoder/10")]
    [InlineData("autoencoder/0")]
    [InlineData("autoencoder/x")]
    public void AnUnknownVersionIsRefusedByName(string format)
    {
        var error = Assert.Throws<DataFormatException>(() => LoadWith(format, ModelTestData.Small("vae").ToJson()));
        Assert.Contains($"'{format}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'autoencoder/1' to 'autoencoder/2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherKindOfFileIsStillNotAnAutoencoder()
    {
        var error = Assert.Throws<DataFormatException>(() => LoadWith("pca/1", ModelTestData.Small("vae").ToJson()));
        Assert.Contains("not a Latent autoencoder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("autoencoder/2", "\"seed\":1", "\"seed\":1,\"colour\":\"red\"", "colour")]
    [InlineData("autoencoder/2", "\"encoder\":\"fc48\"", "\"hidden\":[48]", "hidden")]
    [InlineData("autoencoder/1", "\"seed\":1", "\"seed\":1,\"colour\":\"red\"", "colour")]
    [InlineData("autoencoder/1", "\"hidden\":[48]", "\"hidden\":[48],\"encoder\":\"fc48\"", "encoder")]
    [InlineData("autoencoder/1", "\"hidden\":[48],", "", "hidden")]
    [InlineData("autoencoder/1", "\"hidden\":[48]", "\"hidden\":[0]", "hidden")]
    [InlineData("autoencoder/2", "\"encoder\":\"fc48\"", "\"encoder\":\"fc48,fc0\"", "encoder layer 2 'fc0': a layer needs at least 1 unit")]
    [InlineData("autoencoder/2", "\"decoder\":\"fc48\"", "\"decoder\":\"fcx\"", "decoder layer 1 'fcx': expected fc<units>")]
    [InlineData("autoencoder/2", "\"inputShape\":null", "\"inputShape\":{\"channels\":1,\"height\":8,\"width\":9}", "Inputs")]
    [InlineData("autoencoder/2", "\"inputShape\":null", "\"inputShape\":{\"channels\":1,\"height\":8}", "inputShape needs channels, height and width")]
    [InlineData("autoencoder/2", "\"inputShape\":null", "\"inputShape\":{\"channels\":1,\"height\":8,\"width\":8,\"depth\":1}", "depth")]
    public void BadOptionsAreRefusedNamingTheField(string format, string find, string replace, string expected)
    {
        string json = format == "autoencoder/1" ? Version1Json : ModelTestData.Small("vae").ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var error = Assert.Throws<DataFormatException>(() => LoadWith(format, json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void OptionsCheckTheirArchitectures()
    {
        var error = Assert.Throws<FormatException>(() => new Autoencoder(ModelTestData.Small("ae", o => o with { Decoder = "fc10,fc0" })));
        Assert.Equal("decoder layer 2 'fc0': a layer needs at least 1 unit", error.Message);
        var shape = Assert.Throws<ArgumentException>(() => ModelTestData.Small("ae", o => o with { InputShape = new ImageShape(1, 28, 28) }).Validate());
        Assert.Contains("Inputs is 64; expected the size 784 of the input shape 1×28×28", shape.Message, StringComparison.Ordinal);
        Assert.Equal(new ImageShape(3, 4, 5), Presets.Defaults("vae", new ImageShape(3, 4, 5)).InputShape);
        Assert.Equal(60, Presets.Defaults("vae", new ImageShape(3, 4, 5)).Inputs);
    }

    [Fact]
    public void AnEncoderWithoutLayersFeedsTheBottleneckTheInput()
    {
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Encoder = "", Decoder = "fc16,fc16" }));
        Assert.Equal(64, model.Features);
        Assert.Equal(0, model.Encoder.Count);
        Assert.Equal(5, model.Decoder.Count);
    }

    private static void LoadWith(string format, string json)
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var model = new Autoencoder(ModelTestData.Small("vae"));
        SafeTensors.Write(path, model.StateDict(), new Dictionary<string, string>
        {
            [ModelFile.FormatKey] = format,
            [ModelFile.OptionsKey] = json,
        });
        ModelFile.Load(path);
    }

    private static string Hash(Autoencoder model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach ((string name, Tensor tensor) in model.StateDict())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData(MemoryMarshal.AsBytes(tensor.Span));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }
}
