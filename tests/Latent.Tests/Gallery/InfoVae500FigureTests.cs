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

        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
