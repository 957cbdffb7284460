using System.Text.Json.Nodes;
using Latent.Classical;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Models;

/// <summary>
/// A model file is compared with the tensors its options imply before any model is built (issue 12, class 2):
/// the layout computed from the options alone equals the built model's state dict, and a small file whose
/// options ask for a huge model fails at once with little memory.
/// </summary>
public class ModelLayoutTests
{
    private const long AllocationBudget = 50L << 20;

    public static TheoryData<string> Presets() => [.. Latent.Models.Presets.Names];

    [Theory]
    [MemberData(nameof(Presets))]
    public void LayoutEqualsTheStateDictOfEveryPreset(string preset)
    {
        var options = Latent.Models.Presets.ImageNames.Contains(preset)
            ? Latent.Models.Presets.Defaults(preset, new ImageShape(1, 16, 16))
            : Latent.Models.Presets.Defaults(preset, 36);
        AssertLayoutMatches(options);
    }

    [Theory]
    [InlineData("conv8k3s2p1:leaky-relu,bn,pool2,drop0.1,fc12:tanh,bn:relu", "fc48,unflatten3x4x4,up2,deconv4k4s2p1,bn,conv1k3s1p1:none", "Gaussian", "GaussianLearnedPerDimension")]
    [InlineData("fc10,drop0.2,fc6:none", "fc7,bn", "Deterministic", "GaussianLearnedShared")]
    [InlineData("bn,flatten,fc5", "", "TopK", "Gaussian")]
    [InlineData("", "", "Binary", "Bernoulli")]
    public void LayoutEqualsTheStateDictOfEveryLayerKind(string encoder, string decoder, string bottleneck, string likelihood)
    {
        var options = new AutoencoderOptions
        {
            Inputs = 16 * 16,
            InputShape = new ImageShape(1, 16, 16),
            Encoder = encoder,
            Decoder = decoder,
            Latent = 3,
            TopK = 2,
            Bottleneck = Enum.Parse<BottleneckKind>(bottleneck),
            Likelihood = Enum.Parse<LikelihoodKind>(likelihood),
        };
        AssertLayoutMatches(options);
    }

    [Fact]
    public void LayoutOfTiedWeightsHoldsTheDecoderBiasOnly()
    {
        AssertLayoutMatches(new AutoencoderOptions { Inputs = 20, Encoder = "", Decoder = "", Latent = 4, TiedWeights = true, Likelihood = LikelihoodKind.Gaussian });
    }

    [Fact]
    public void SmallFileAskingForHugeLayersFailsFastNamingTheFirstDifferences()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        ModelFile.Save(new Autoencoder(new AutoencoderOptions { Inputs = 64, Encoder = "fc16,fc8", Decoder = "fc8,fc16", Latent = 2 }), path);
        var file = SafeTensors.Read(path);
        var options = JsonNode.Parse(file.Metadata[ModelFile.OptionsKey])!.AsObject();
        options["encoder"] = "fc20000,fc20000,fc20000";
        options["decoder"] = "fc20000,fc20000,fc20000";
        var metadata = file.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata[ModelFile.OptionsKey] = options.ToJsonString();
        SafeTensors.Write(path, file.Tensors, metadata);
        Assert.True(new FileInfo(path).Length < 100_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < AllocationBudget, $"loading allocated {allocated:N0} bytes");
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("'encoder.0.weight' has shape [16, 64] in the file but [20000, 64] in the options", error.Message);
        Assert.Contains("more", error.Message);
        Assert.True(error.Message.Length < 1000, error.Message);
    }

    [Fact]
    public void ClassicalFileWhoseOptionsDisagreeWithItsTensorsIsRefusedBeforeConversion()
    {
        using var folder = new TempFolder();
        string path = folder.File("gmm.safetensors");
        var data = Tensor.Zeros(40, 3);
        var rng = new Rng(1);
        rng.FillUniform(data.Span, 0f, 1f);
        new GaussianMixtureOptions { Components = 2, Seed = 1 }.Fit(data).Save(path);
        var file = SafeTensors.Read(path);
        var options = JsonNode.Parse(file.Metadata["options"])!.AsObject();
        options["Components"] = 20_000;
        var metadata = file.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata["options"] = options.ToJsonString();
        SafeTensors.Write(path, file.Tensors, metadata);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => ClassicalModelFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < AllocationBudget, $"loading allocated {allocated:N0} bytes");
        Assert.Contains("\"weights\" has shape [2], the options imply [20000]", error.Message);
        Assert.Contains("\"means\" has shape [2, 3], the options imply [20000, 3]", error.Message);
    }

    private static void AssertLayoutMatches(AutoencoderOptions options)
    {
        var layout = ModelLayout.Of(options);
        var state = new Autoencoder(options).StateDict();
        Assert.Equal(state.Keys, layout.Select(p => p.Key));
        foreach ((string name, int[] shape) in layout)
        {
            Assert.True(state[name].Shape.SequenceEqual(shape), $"{name}: layout [{string.Join(", ", shape)}], model [{string.Join(", ", state[name].Shape)}]");
        }

        Assert.Equal(state.Values.Sum(t => (long)t.Length), ModelLayout.Values(layout));
    }
}
