using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class DenoisingFigureTests
{
    [Fact]
    public void TheDenoiserRemovesMoreNoiseThanAPlainAutoencoder()
    {
        using var folder = new TempFolder();
        var outcome = SamplingFigureTestRun.Run(new DenoisingFigure(), folder);
        double noisy = SamplingFigureTestRun.Number(outcome, "noisy inputs");
        double denoiser = SamplingFigureTestRun.Number(outcome, "denoising autoencoder");
        double plain = SamplingFigureTestRun.Number(outcome, "plain autoencoder");
        Assert.True(denoiser < plain, $"denoiser {denoiser} against plain {plain}");
        Assert.True(denoiser < noisy, $"denoiser {denoiser} against the noisy inputs {noisy}");
        Assert.Equal(4, outcome.Figure.Rows);
    }
}
