using Latent.Models;

namespace Latent.Tests.Models;

public class PresetTrainingTests
{
    // Bounds on the mean squared reconstruction error per 64-pixel digit after 15 epochs; predicting the mean
    // digit gives about 7.1, and every preset starts near or above that.
    [Theory]
    [InlineData("linear-ae", 3.2)]
    [InlineData("ae", 2.6)]
    [InlineData("denoising-ae", 3.0)]
    [InlineData("sparse-ae", 3.5)]
    [InlineData("ksparse-ae", 3.5)]
    [InlineData("binary-ae", 4.5)]
    [InlineData("vae", 4.5)]
    [InlineData("beta-vae", 5.5)]
    [InlineData("infovae", 5.0)]
    [InlineData("iwae", 4.5)]
    public void EveryPresetLearnsDigits(string preset, double bound)
    {
        var data = ModelTestData.Digits;
        var model = new Autoencoder(ModelTestData.Small(preset));
        double untrained = ModelTestData.MeanSquaredError(model, data);
        ModelTestData.Train(model, data, epochs: 15);
        double trained = ModelTestData.MeanSquaredError(model, data);
        Assert.True(trained < bound, $"{preset}: error {trained:F3} is not below {bound}");
        Assert.True(trained < 0.6 * untrained, $"{preset}: error {trained:F3} is not far below the untrained {untrained:F3}");
    }
}
