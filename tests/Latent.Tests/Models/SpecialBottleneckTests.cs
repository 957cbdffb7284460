using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class SpecialBottleneckTests
{
    // The 8-3-8 encoder problem of Rumelhart, Hinton and Williams (1986) with a binary code: the eight one-hot
    // items must take all eight corners of the 3-bit cube. One full batch per epoch; model seeds 1 to 20 all
    // find the eight codes except one, which ends at seven (a local minimum of the assignment).
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void BinaryAutoencoderGivesEightDistinctCodesForOneHot8(ulong seed)
    {
        var data = Synthetic.OneHot8().Features;
        var model = new Autoencoder(Presets.Defaults("binary-ae", 8) with { Hidden = [], Latent = 3, Seed = seed });
        ModelTestData.Train(model, data, epochs: 3000, batch: 8, learningRate: 0.1f);

        var codes = model.Encode(data);
        var distinct = new HashSet<int>();
        for (int i = 0; i < 8; i++)
        {
            int code = 0;
            for (int j = 0; j < 3; j++)
            {
                Assert.True(codes[i, j] is 0f or 1f, $"code {i} has a non-binary unit {codes[i, j]}");
                code = (code << 1) | (int)codes[i, j];
            }

            distinct.Add(code);
        }

        Assert.Equal(8, distinct.Count);
        var reconstruction = model.Reconstruct(data);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i], reconstruction[i] > 0.5f ? 1f : 0f);
        }
    }

    [Fact]
    public void WithoutCodeNoiseTheBinaryCodeIsTrainedByStraightThrough()
    {
        var data = Synthetic.OneHot8().Features;
        var model = new Autoencoder(Presets.Defaults("binary-ae", 8) with { Hidden = [], Latent = 3, Seed = 1, CodeNoise = 0f });
        using var tape = new Tape();
        var before = model.Loss(tape, data, new Rng(1)).Terms.Reconstruction;
        tape.Reset();
        ModelTestData.Train(model, data, epochs: 500, batch: 8, learningRate: 0.1f);

        var code = model.Bottleneck.Sample(model.Encoder.Forward(tape.Input(data)), new Rng(1)).Code.Value;
        Assert.All(code.ToArray(), v => Assert.True(v is 0f or 1f, $"a training code unit is {v}, not a bit"));
        tape.Reset();
        var after = model.Loss(tape, data, new Rng(1)).Terms.Reconstruction;
        Assert.True(after < 0.5 * before, $"straight-through training left the reconstruction at {after} from {before}");
    }

    [Fact]
    public void KSparseCodesKeepKInTrainingAndAlphaKAtEncoding()
    {
        var options = ModelTestData.Small("ksparse-ae", o => o with { Latent = 16, TopK = 4, TopKAlpha = 2f });
        var model = new Autoencoder(options);
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 200);
        ModelTestData.Train(model, data, epochs: 3);

        using var tape = new Tape();
        var code = model.Bottleneck.Sample(model.Encoder.Forward(tape.Input(data)), new Rng(1)).Code.Value;
        AssertNonZerosPerRow(code, 4);
        AssertNonZerosPerRow(model.Encode(data), 8);
    }

    private static void AssertNonZerosPerRow(Tensor codes, int expected)
    {
        for (int i = 0; i < codes.Rows; i++)
        {
            int count = 0;
            foreach (float value in codes.Row(i))
            {
                count += value != 0f ? 1 : 0;
            }

            Assert.Equal(expected, count);
        }
    }

    [Fact]
    public void DenoisingBeatsAPlainAutoencoderOnNoisyHeldOutDigits()
    {
        var digits = ModelTestData.Digits;
        var train = ModelTestData.Rows(digits, 0, 1500);
        var test = ModelTestData.Rows(digits, 1500, digits.Rows - 1500);
        var noisy = Tensor.Zeros(test.Rows, test.Columns);
        InputCorruption.Apply(NoiseKind.Gaussian, 0.3f, test.Span, noisy.Span, new Rng(99));

        var plain = new Autoencoder(ModelTestData.Small("ae", o => o with { Latent = 32 }));
        var denoising = new Autoencoder(ModelTestData.Small("denoising-ae", o => o with { Latent = 32 }));
        ModelTestData.Train(plain, train, epochs: 20);
        ModelTestData.Train(denoising, train, epochs: 20);
        double plainError = ModelTestData.MeanSquaredError(plain, test, noisy);
        double denoisingError = ModelTestData.MeanSquaredError(denoising, test, noisy);
        Assert.True(denoisingError < plainError, $"denoising {denoisingError:F3} vs plain {plainError:F3}");
    }
}
