using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class InfoVae500FigureTests
{
    [Fact]
    public void TheElboModelOverfitsMoreAndDriftsFromThePrior()
    {
        var figure = new InfoVae500Figure();
        using var folder = new TempFolder();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));
        double Number(string name) => VaeLatentSizeFigureTests.Number(outcome, name);

        double elboGap = Number("ELBO: ELBO gap (training − held-out)");
        double infoGap = Number("InfoVAE: ELBO gap (training − held-out)");
        Assert.True(elboGap > 0, $"the ELBO model's gap {elboGap} is not positive");
        Assert.True(elboGap > infoGap, $"the ELBO model's gap {elboGap} is not larger than the InfoVAE's {infoGap}");
        Assert.True(Number("ELBO: MMD²(q(z), p(z)) on the training images") > Number("InfoVAE: MMD²(q(z), p(z)) on the training images"));
        foreach (string model in new[] { "ELBO", "InfoVAE" })
        {
            Assert.True(double.IsFinite(Number($"{model}: held-out log p(x)")));
        }

        // The overfit ELBO model's prior samples measure worse than the InfoVAE's, and both far worse than real digits.
        var elboSamples = SamplingFigureTestRun.QualityOf(outcome, "ELBO prior samples");
        var infoSamples = SamplingFigureTestRun.QualityOf(outcome, "InfoVAE prior samples");
        var floor = SamplingFigureTestRun.QualityOf(outcome, "unseen real digits (the floor)");
        foreach (var quality in new[] { elboSamples, infoSamples, floor })
        {
            SamplingFigureTestRun.AssertWellFormed(quality);
        }

        Assert.True(elboSamples.Frechet > infoSamples.Frechet, $"ELBO samples FD {elboSamples.Frechet} against InfoVAE {infoSamples.Frechet}");
        Assert.True(floor.Frechet < 0.5 * infoSamples.Frechet, $"real digits FD {floor.Frechet} against InfoVAE {infoSamples.Frechet}");
        Assert.Equal(2, outcome.Tables.Count);

        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
