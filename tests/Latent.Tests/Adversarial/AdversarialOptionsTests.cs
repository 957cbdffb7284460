using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Adversarial;

/// <summary>An adversarial network's options: each bad value refused in one line naming it, and the presets' shapes.</summary>
public sealed class AdversarialOptionsTests
{
    private static AdversarialOptions Flat => AdversarialGradientTests.Options("flat");

    public static TheoryData<string, string> BadOptions() => new()
    {
        { "inputs", "Adversarial network option Inputs is 0; expected at least 1." },
        { "shape", "Adversarial network option Inputs is 6; expected the size 16 of the input shape" },
        { "noise", "Adversarial network option Noise is -1; expected 0 or more." },
        { "latent", "Adversarial network option Noise is 0; expected at least 1 value of z in all" },
        { "categories", "Adversarial network option CategoricalCodes is [3, 1]; expected categories of at least 2 each." },
        { "k", "Adversarial network option DiscriminatorSteps is 0; expected at least 1." },
        { "smoothing", "Adversarial network option LabelSmoothing is 1; expected in [0, 1)." },
        { "negative smoothing", "Adversarial network option LabelSmoothing is -0.1; expected in [0, 1)." },
        { "info weight", "Adversarial network option InfoWeight is NaN; expected 0 or more." },
        { "recognition without codes", "Adversarial network option Recognition is fc8; expected none without codes" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void EachBadValueIsRefusedNamingIt(string which, string expected)
    {
        var options = which switch
        {
            "inputs" => Flat with { Inputs = 0 },
            "shape" => Flat with { InputShape = new ImageShape(1, 4, 4) },
            "noise" => Flat with { Noise = -1 },
            "latent" => Flat with { Noise = 0 },
            "categories" => Flat with { CategoricalCodes = [3, 1] },
            "k" => Flat with { DiscriminatorSteps = 0 },
            "smoothing" => Flat with { LabelSmoothing = 1f },
            "negative smoothing" => Flat with { LabelSmoothing = -0.1f },
            "info weight" => Flat with { InfoWeight = float.NaN },
            "recognition without codes" => Flat with { Recognition = "fc8" },
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
        var error = Assert.Throws<ArgumentException>(() => new AdversarialNetwork(options));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("fc5,fc7:sigmoid", "generator 'fc5,fc7:sigmoid' makes 7 features from the 3 values of z; the data are 6 features: its last layer must output the data's size.")]
    [InlineData("fc5,fc6:sigmoid,fc6,bogus3", "bogus3")]
    public void AGeneratorThatDoesNotEndAtTheDataSizeIsRefused(string generator, string expected)
    {
        var error = Assert.Throws<FormatException>(() => new AdversarialNetwork(Flat with { Generator = generator }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AnImageGeneratorMustMakeTheDataImageShapeNotOnlyItsSize()
    {
        // 16 values as a 4×2×2 image are not the data's 1×4×4 image.
        var options = AdversarialGradientTests.Options("conv") with { Generator = "fc16:none,unflatten1x4x4,conv4k3s2p1:sigmoid" };
        var error = Assert.Throws<FormatException>(() => options.Validate());
        Assert.Contains("its last layer must output the data's size", error.Message, StringComparison.Ordinal);
        Assert.Contains("1×4×4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADiscriminatorOrRecognitionHeadThatDoesNotFitItsInputIsRefused()
    {
        var error = Assert.Throws<FormatException>(() => new AdversarialNetwork(AdversarialGradientTests.Options("conv") with { Discriminator = "conv4k9s1p0" }));
        Assert.Contains("discriminator", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<FormatException>(() => new AdversarialNetwork(AdversarialGradientTests.Options("infogan-flat") with { Recognition = "conv4k3s1p1" }));
        Assert.Contains("recognition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsRoundTripThroughJsonAndUnknownKeysAreRefused()
    {
        var options = AdversarialGradientTests.Options("infogan-conv") with { DiscriminatorSteps = 3, LabelSmoothing = 0.1f, Seed = 9 };
        var back = AdversarialOptions.FromJson(options.ToJson());
        Assert.Equal(options.ToJson(), back.ToJson());
        Assert.Equal([3], back.CategoricalCodes);
        Assert.Equal(2 + 2 + 3, back.LatentSize);
        Assert.Equal(2 + 3, back.CodeParameters);

        var error = Assert.Throws<FormatException>(() => AdversarialOptions.FromJson(options.ToJson().Replace("\"seed\"", "\"sead\"", StringComparison.Ordinal)));
        Assert.Contains("sead", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<FormatException>(() => AdversarialOptions.FromJson(options.ToJson().Replace("\"discriminatorSteps\":3", "\"discriminatorSteps\":0", StringComparison.Ordinal)));
        Assert.Contains("DiscriminatorSteps is 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dcgan", 1, 30, 30)]
    [InlineData("dcgan", 1, 28, 27)]
    [InlineData("infogan", 3, 10, 10)]
    public void PresetsOnShapesTheyHaveNoLayersForAreRefusedClearly(string preset, int channels, int height, int width)
    {
        var shape = new ImageShape(channels, height, width);
        var error = Assert.Throws<ArgumentException>(() => AdversarialPresets.Defaults(preset, shape));
        Assert.Contains($"Preset '{preset}' has default layers for 64×64 images and for images whose height and width are multiples of 4", error.Message, StringComparison.Ordinal);
        Assert.Contains(shape.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("--generator and --discriminator", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void UnknownPresetsAreRefusedListingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => AdversarialPresets.Defaults("wgan", new ImageShape(1, 28, 28)));
        Assert.Contains("Unknown adversarial preset 'wgan'; expected one of dcgan, infogan.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AdversarialPresets.RecommendedTrainer("wgan"));
    }

    [Theory]
    [InlineData("dcgan", 1, 28, 28)]
    [InlineData("dcgan", 1, 64, 64)]
    [InlineData("dcgan", 3, 32, 32)]
    [InlineData("infogan", 1, 28, 28)]
    [InlineData("infogan", 1, 64, 64)]
    [InlineData("infogan", 1, 20, 12)]
    public void PresetsFitTheShapesTheyAreSizedFrom(string preset, int channels, int height, int width)
    {
        var shape = new ImageShape(channels, height, width);
        var network = new AdversarialNetwork(AdversarialPresets.Defaults(preset, shape));
        Assert.Equal(shape.Size, network.Inputs);
        var samples = network.Sample(2, seed: 1);
        Expect(samples, 2, shape.Size);
        Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(preset == "infogan" ? 10 : 100, network.LatentSize);
    }

    [Fact]
    public void TheInfoganPresetIsTheBetaVaeTablesNetwork()
    {
        var options = AdversarialPresets.Defaults("infogan", new ImageShape(1, 64, 64));
        Assert.Equal(5, options.ContinuousCodes);
        Assert.Equal(5, options.Noise);
        Assert.StartsWith("fc256:none,bn:relu,fc256:none,bn:relu,", options.Generator, StringComparison.Ordinal);
        Assert.Contains("deconv128k4s2p1:none,bn:relu,deconv64k4s2p1:none,bn:relu,deconv1k4s2p1:sigmoid", options.Generator, StringComparison.Ordinal);
        var trainer = AdversarialPresets.RecommendedTrainer("infogan");
        Assert.Equal((1e-3f, 2e-4f, 0.5f), (trainer.GeneratorLearningRate, trainer.DiscriminatorLearningRate, trainer.Beta1));
    }

    private static void Expect(Tensor tensor, params int[] shape) => Assert.Equal(shape, tensor.Shape);
}
