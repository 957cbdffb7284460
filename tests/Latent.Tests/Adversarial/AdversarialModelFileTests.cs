using System.Text.Json.Nodes;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Adversarial;

/// <summary>
/// An adversarial network's file: saved and loaded bitwise, its layout known from the options alone for every preset,
/// and a damaged or hostile file refused in one line before the network is built.
/// </summary>
public sealed class AdversarialModelFileTests : IDisposable
{
    private const long AllocationBudget = 50L << 20;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, int, int> PresetShapes() => new()
    {
        { "dcgan", 1, 28 },
        { "dcgan", 1, 64 },
        { "dcgan", 3, 64 },
        { "infogan", 1, 28 },
        { "infogan", 1, 64 },
        { "infogan", 3, 32 },
    };

    [Theory]
    [MemberData(nameof(PresetShapes))]
    public void LayoutEqualsTheBuiltNetworksStateDict(string preset, int channels, int side)
    {
        AssertLayoutMatches(AdversarialPresets.Defaults(preset, new ImageShape(channels, side, side)));
        if (preset == "infogan")
        {
            AssertLayoutMatches(AdversarialPresets.Defaults(preset, new ImageShape(channels, side, side)) with { CategoricalCodes = [10, 3] });
        }
    }

    [Fact]
    public void LayoutEqualsTheStateDictOfFlatNetworks()
    {
        AssertLayoutMatches(AdversarialGradientTests.Options("flat"));
        AssertLayoutMatches(AdversarialGradientTests.Options("infogan-flat"));
        AssertLayoutMatches(AdversarialGradientTests.Options("infogan-flat") with { Recognition = string.Empty });
        AssertLayoutMatches(new AdversarialOptions { Preset = "gan", Inputs = 2, Noise = 8, Generator = "fc16,bn,drop0.1,fc2:none", Discriminator = "fc16:leaky-relu0.2,fc8:leaky-relu0.01" });
    }

    [Fact]
    public void PresetNetworksAreNamedAsThePyTorchModulesWouldBe()
    {
        var names = new AdversarialNetwork(AdversarialPresets.Defaults("infogan", new ImageShape(1, 28, 28))).StateDict().Keys.ToArray();
        Assert.Equal("generator.0.weight", names[0]);
        Assert.Contains("generator.1.running_mean", names);
        Assert.Contains("discriminator.0.weight", names);
        Assert.Contains("critic.weight", names);
        Assert.Contains("recognition.0.weight", names);
        Assert.All(names, n => Assert.Matches("^(generator|discriminator|critic|recognition)\\.", n));
    }

    [Fact]
    public void SaveAndLoadRoundTripBitwiseWithTheOptions()
    {
        var options = AdversarialResumeTests.SmallInfogan with { Seed = 5 };
        var network = new AdversarialNetwork(options);

        // Train a little so that the batch-norm buffers hold statistics, not their initial values.
        var data = new TensorSource(Models.ModelTestData.Rows(Models.ModelTestData.Digits, 0, 64), "digits");
        new AdversarialTrainer(new TrainerOptions { Epochs = 1, BatchSize = 32, CheckpointEvery = 0 }).Fit(network, data);
        string path = _temp.File("gan.safetensors");
        AdversarialModelFile.Save(network, path, new Dictionary<string, string> { ["data"] = "digits" });

        Assert.True(AdversarialModelFile.Holds(path));
        Assert.Equal("digits", SafeTensors.Read(path).Metadata["data"]);
        var loaded = AdversarialModelFile.Load(path);
        Assert.Equal(options.ToJson(), loaded.Options.ToJson());
        var before = network.StateDict();
        var after = loaded.StateDict();
        Assert.Equal(before.Keys, after.Keys);
        foreach ((string name, Tensor value) in before)
        {
            Assert.True(value.Span.SequenceEqual(after[name].Span), $"{name} differs after loading");
        }

        Assert.True(network.Sample(16, seed: 3).Span.SequenceEqual(loaded.Sample(16, seed: 3).Span));
        Assert.True(network.InferCodes(data).Span.SequenceEqual(loaded.InferCodes(data).Span));
    }

    [Fact]
    public void AnAutoencoderFileIsNotAnAdversarialNetworkAndTheReverse()
    {
        string gan = _temp.File("gan.safetensors"), ae = _temp.File("ae.safetensors");
        AdversarialModelFile.Save(new AdversarialNetwork(AdversarialGradientTests.Options("flat")), gan);
        ModelFile.Save(new Autoencoder(Models.ModelTestData.Small("ae")), ae);
        Assert.False(AdversarialModelFile.Holds(ae));
        var error = Assert.Throws<DataFormatException>(() => AdversarialModelFile.Load(ae));
        Assert.Contains("not a Latent adversarial network", error.Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => ModelFile.Load(gan));
    }

    [Fact]
    public void AMissingTensorIsRefusedByName()
    {
        string path = DamagedFlatGan(tensors => tensors.Remove("critic.bias"));
        AssertRefused(path, "missing 'critic.bias' (shape [1])");
    }

    [Fact]
    public void AMisshapenTensorIsRefusedByName()
    {
        string path = DamagedFlatGan(tensors => tensors["generator.0.weight"] = Tensor.Zeros(5, 4));
        AssertRefused(path, "'generator.0.weight' has shape [5, 4] in the file but [5, 3] in the options");
    }

    [Fact]
    public void ANonFiniteWeightIsRefusedByName()
    {
        string path = DamagedFlatGan(tensors => tensors["discriminator.0.weight"].Span[3] = float.NaN);
        AssertRefused(path, "tensor 'discriminator.0.weight' holds NaN at element 3");
    }

    [Fact]
    public void ASmallFileWhoseOptionsAskForAHugeNetworkFailsBeforeAllocatingIt()
    {
        string path = DamagedFlatGan(options: options =>
        {
            options["generator"] = "fc30000,fc30000,fc6:sigmoid";
            options["discriminator"] = "fc30000:leaky-relu0.2,fc30000";
        });
        Assert.True(new FileInfo(path).Length < 100_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => AdversarialModelFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBudget, $"loading allocated {allocated:N0} bytes");
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("'generator.0.weight' has shape [5, 3] in the file but [30000, 3] in the options", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("noise", "-3", "Noise is -3")]
    [InlineData("discriminatorSteps", "0", "DiscriminatorSteps is 0")]
    [InlineData("labelSmoothing", "1", "LabelSmoothing is 1")]
    [InlineData("generator", "\"fc7:sigmoid\"", "its last layer must output the data's size")]
    [InlineData("brandNew", "1", "brandNew")]
    public void BadOptionsInTheFileAreRefusedInOneLine(string key, string json, string expected)
    {
        string path = DamagedFlatGan(options: options => options[key] = JsonNode.Parse(json));
        AssertRefused(path, expected);
    }

    // A saved flat GAN's file rewritten with its tensors (copies) and its options' JSON changed.
    private string DamagedFlatGan(Action<Dictionary<string, Tensor>>? tensors = null, Action<JsonObject>? options = null)
    {
        string path = SavedFlatGan();
        var file = SafeTensors.Read(path);
        var changed = file.Tensors.ToDictionary(t => t.Key, t => t.Value.Clone());
        tensors?.Invoke(changed);
        var json = JsonNode.Parse(file.Metadata[ModelFile.OptionsKey])!.AsObject();
        options?.Invoke(json);
        var metadata = file.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata[ModelFile.OptionsKey] = json.ToJsonString();
        SafeTensors.Write(path, changed, metadata);
        return path;
    }

    private string SavedFlatGan()
    {
        string path = _temp.File($"{Guid.NewGuid():N}.safetensors");
        AdversarialModelFile.Save(new AdversarialNetwork(AdversarialGradientTests.Options("flat")), path);
        return path;
    }

    private static void AssertRefused(string path, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => AdversarialModelFile.Load(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static void AssertLayoutMatches(AdversarialOptions options)
    {
        var layout = ModelLayout.Of(options);
        var state = new AdversarialNetwork(options).StateDict();
        Assert.Equal(state.Keys, layout.Select(l => l.Key));
        foreach ((string name, int[] shape) in layout)
        {
            Assert.True(shape.SequenceEqual(state[name].Shape), $"{name}: layout [{string.Join(", ", shape)}], network [{string.Join(", ", state[name].Shape)}]");
        }
    }
}
