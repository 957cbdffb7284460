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

        // In the digit classifier's features the same order holds: garbage from N(0, I) codes measures farthest
        // from the held-out digits, real training digits nearest (the floor), and the VAE covers most classes.
        var aeNormal = SamplingFigureTestRun.QualityOf(outcome, "AE, z ~ N(0, I)");
        var aeMixture = SamplingFigureTestRun.QualityOf(outcome, "AE, z ~ GMM-10");
        var vaeSamples = SamplingFigureTestRun.QualityOf(outcome, "VAE, z ~ N(0, I)");
        var floor = SamplingFigureTestRun.QualityOf(outcome, "real training digits (the floor)");
        foreach (var quality in new[] { aeNormal, aeMixture, vaeSamples, floor })
        {
            SamplingFigureTestRun.AssertWellFormed(quality);
        }

        Assert.True(aeMixture.Frechet < aeNormal.Frechet, $"GMM draws FD {aeMixture.Frechet} against N(0, I) draws {aeNormal.Frechet}");
        Assert.True(vaeSamples.Frechet < aeNormal.Frechet, $"VAE FD {vaeSamples.Frechet} against the AE's N(0, I) draws {aeNormal.Frechet}");
        Assert.True(floor.Frechet < 0.5 * Math.Min(aeMixture.Frechet, vaeSamples.Frechet), $"real digits FD {floor.Frechet} against GMM {aeMixture.Frechet}, VAE {vaeSamples.Frechet}");
        Assert.Equal(10, floor.Found);
        Assert.True(vaeSamples.Found >= 8, $"the VAE's samples cover {vaeSamples.Found} classes");
        Assert.Contains(outcome.Tables, t => t.Title.StartsWith("Sample quality", StringComparison.Ordinal) && t.Rows.Count == 4);
    }
}
