using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class DcganFigureTests
{
    [Fact]
    public void TheGanAndTheVaeMeasureFarBetterThanNoiseAndCoverSeveralClasses()
    {
        using var folder = new TempFolder();
        var figure = new DcganFigure();
        var outcome = SamplingFigureTestRun.Run(figure, folder);
        var gan = SamplingFigureTestRun.QualityOf(outcome, "DCGAN");
        var vae = SamplingFigureTestRun.QualityOf(outcome, "VAE");
        var real = SamplingFigureTestRun.QualityOf(outcome, "real training images");
        var noise = SamplingFigureTestRun.QualityOf(outcome, "uniform noise");

        // Noise and real training images bracket the measures: the real images are the closest, noise the farthest.
        Assert.True(real.Frechet < gan.Frechet && real.Frechet < vae.Frechet, $"real {real.Frechet}, DCGAN {gan.Frechet}, VAE {vae.Frechet}");
        Assert.True(gan.Frechet < noise.Frechet / 3 && vae.Frechet < noise.Frechet / 3, $"DCGAN {gan.Frechet}, VAE {vae.Frechet}, noise {noise.Frechet}");
        Assert.True(gan.Precision > noise.Precision);

        // Neither model collapses onto one or two classes, even after seconds of training.
        Assert.True(gan.Found >= 4, $"DCGAN found {gan.Found} classes");
        Assert.True(vae.Found >= 4, $"VAE found {vae.Found} classes");
        Assert.True(gan.Entropy > 1.0 && vae.Entropy > 1.0);
        Assert.True(real.Found >= 9);

        // The figure's own diversity numbers are the table's.
        Assert.Equal(gan.Precision, SamplingFigureTestRun.Number(outcome, SampleQualityNumbers.Name("precision", "DCGAN")), 0.0006);
        Assert.Equal(vae.Recall, SamplingFigureTestRun.Number(outcome, SampleQualityNumbers.Name("recall", "VAE")), 0.0006);

        Assert.Equal((3, 2), (outcome.Figure.Rows, outcome.Figure.Columns));
        var table = Assert.Single(outcome.Tables);
        Assert.Equal(4, table.Rows.Count);

        // The printed commands train, sample, interpolate and evaluate the GAN run.
        var commands = figure.Commands(GalleryScale.Quick);
        Assert.Contains(commands, c => c.StartsWith("latent train dcgan --data mnist-10k --epochs", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("latent sample runs/dcgan/gan", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("latent interpolate runs/dcgan/gan --seed $s", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("latent eval runs/dcgan/gan --data mnist-10k", StringComparison.Ordinal));
    }
}
