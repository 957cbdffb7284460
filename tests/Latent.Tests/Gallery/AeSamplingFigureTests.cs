using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class AeSamplingFigureTests
{
    [Fact]
    public void NormalDrawsThroughADeterministicAutoencoderLieFarthestFromTheData()
    {
        using var folder = new TempFolder();
        var outcome = SamplingFigureTestRun.Run(new AeSamplingFigure(), folder);
        double normal = SamplingFigureTestRun.Number(outcome, "AE decoding N(0, I)");
        double mixture = SamplingFigureTestRun.Number(outcome, "AE decoding GMM");
        double vae = SamplingFigureTestRun.Number(outcome, "VAE decoding");
        double real = SamplingFigureTestRun.Number(outcome, "held-out real");
        Assert.True(mixture < normal, $"GMM draws {mixture} against N(0, I) draws {normal}");
        Assert.True(vae < normal, $"VAE draws {vae} against the AE's N(0, I) draws {normal}");
        Assert.True(real < normal, $"real digits {real} against the AE's N(0, I) draws {normal}");
        Assert.True(File.Exists(Path.Combine(folder.Path, "ae", "prior-gmm10.safetensors")));
    }
}
