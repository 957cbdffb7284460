using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Evaluation;

public class RecognitionEncoderTests
{
    private static readonly ShapesSource s_shapes = new();

    // A small flat InfoGAN on the 64×64 shapes: 3 continuous codes, then a 4-way categorical code's logits in Q's output.
    private static AdversarialNetwork TinyInfoGan() => new(new AdversarialOptions
    {
        Preset = "infogan",
        Inputs = s_shapes.Dimension,
        Noise = 2,
        ContinuousCodes = 3,
        CategoricalCodes = [4],
        Generator = $"fc16,fc{s_shapes.Dimension}:sigmoid",
        Discriminator = "fc24:leaky-relu0.2",
        Recognition = "fc12:leaky-relu0.2",
        Seed = 5,
    });

    [Fact]
    public void ItReturnsTheRecognitionHeadsContinuousMeansOfTheDrawnItemsAcrossChunks()
    {
        var network = TinyInfoGan();
        var encode = RecognitionEncoder.Of(network, s_shapes);
        // More items than one chunk, in no particular order, so the chunked draw must keep each item's row.
        var items = new Rng(2).Permutation(s_shapes.Count)[..(FactorCodes.Chunk + 37)];
        var codes = encode(items);
        Assert.Equal([items.Length, 3], codes.Shape);

        var images = Tensor.Zeros(items.Length, s_shapes.Dimension);
        s_shapes.CopyRows(items, images.Span);
        var inferred = network.InferCodes(new TensorSource(images));
        Assert.Equal(3 + 4, inferred.Columns);
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(inferred.Row(i)[..3].ToArray(), codes.Row(i).ToArray());
        }

        // The codes depend on the image: not one constant row.
        Assert.NotEqual(codes.Row(0).ToArray(), codes.Row(1).ToArray());
    }

    [Fact]
    public void TheDisentanglementMeasuresReadItAsTheyReadAVaesMeans()
    {
        var encode = RecognitionEncoder.Of(TinyInfoGan(), s_shapes);
        var metric = BetaVaeMetric.Measure(encode, s_shapes, new BetaVaeMetricOptions { BatchSize = 4, TrainPoints = 40, TestPoints = 20, Seed = 1 });
        Assert.InRange(metric.Accuracy, 0, 1);
        Assert.Equal(0.2, metric.Chance, 12);
        var gap = MutualInformationGap.Measure(encode, s_shapes, items: 300, seed: 1);
        Assert.Equal(5, gap.PerFactor.Length);
        Assert.All(gap.PerFactor, g => Assert.True(double.IsFinite(g) && g is >= 0 and <= 1, $"gap {g}"));
    }

    [Fact]
    public void ANetworkWithoutContinuousCodesOrOfAnotherSizeIsRefusedWithOneLine()
    {
        var dcgan = new AdversarialNetwork(AdversarialPresets.Defaults("dcgan", new ImageShape(1, 64, 64)));
        var noCodes = Assert.Throws<ArgumentException>(() => RecognitionEncoder.Of(dcgan, s_shapes));
        Assert.Contains("no continuous codes", noCodes.Message, StringComparison.Ordinal);

        var small = new AdversarialNetwork(AdversarialPresets.Defaults("infogan", new ImageShape(1, 28, 28)));
        var size = Assert.Throws<ArgumentException>(() => RecognitionEncoder.Of(small, s_shapes));
        Assert.Contains("4096 features per item", size.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', size.Message);
    }
}
