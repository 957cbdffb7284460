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
        var context = new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);
        var outcome = figure.Run(context);
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

        // Both models' prior samples are measured: far nearer the held-out digits than noise, far from the floor of
        // unseen real digits. (Which model samples better is the quick scale's question: at this toy size the
        // InfoVAE's samples measure worse, at the quick scale slightly better.)
        var elboSamples = SamplingFigureTestRun.QualityOf(outcome, "ELBO prior samples");
        var infoSamples = SamplingFigureTestRun.QualityOf(outcome, "InfoVAE prior samples");
        var floor = SamplingFigureTestRun.QualityOf(outcome, "unseen real digits (the floor)");
        foreach (var quality in new[] { elboSamples, infoSamples, floor })
        {
            SamplingFigureTestRun.AssertWellFormed(quality);
        }

        var all = context.Data("mnist-10k");
        double noise = SamplingFigureTestRun.NoiseFrechet(context, all.Subset([.. Enumerable.Range(200, 300)]));
        Assert.True(Math.Max(elboSamples.Frechet, infoSamples.Frechet) < 0.5 * noise, $"ELBO FD {elboSamples.Frechet}, InfoVAE {infoSamples.Frechet} against noise {noise}");
        Assert.True(floor.Frechet < 0.25 * Math.Min(elboSamples.Frechet, infoSamples.Frechet), $"real digits FD {floor.Frechet} against ELBO {elboSamples.Frechet}, InfoVAE {infoSamples.Frechet}");
        Assert.Equal(2, outcome.Tables.Count);

        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
