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
        double Number(string name) => SamplingFigureTestRun.Number(outcome, name);

        // Noise and real training images bracket the measures: the real images are the closest, noise the farthest.
        double noise = Number("uniform noise: Fréchet distance");
        double real = Number("real training images: Fréchet distance");
        double gan = Number("DCGAN: Fréchet distance");
        double vae = Number("VAE: Fréchet distance");
        Assert.True(real < gan && real < vae, $"real {real}, DCGAN {gan}, VAE {vae}");
        Assert.True(gan < noise / 3 && vae < noise / 3, $"DCGAN {gan}, VAE {vae}, noise {noise}");
        Assert.True(Number("DCGAN: precision") > Number("uniform noise: precision"));

        // Neither model collapses onto one or two classes, even after seconds of training.
        Assert.True(Number("DCGAN: classes found") >= 4, $"DCGAN found {Number("DCGAN: classes found")} classes");
        Assert.True(Number("VAE: classes found") >= 4, $"VAE found {Number("VAE: classes found")} classes");
        Assert.True(Number("DCGAN: class entropy") > 1.0 && Number("VAE: class entropy") > 1.0);
        Assert.True(Number("real training images: classes found") >= 9);

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
