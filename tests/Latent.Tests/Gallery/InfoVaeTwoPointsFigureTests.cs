using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class InfoVaeTwoPointsFigureTests
{
    [Fact]
    public void TheElboPushesThePosteriorsApartAndTheInfoVaeDoesNot()
    {
        var figure = new InfoVaeTwoPointsFigure();
        using var folder = new TempFolder();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));
        double Number(string name) => VaeLatentSizeFigureTests.Number(outcome, name);

        // Both models separate the two points (opposite signs), ...
        foreach (string model in new[] { "ELBO", "InfoVAE" })
        {
            Assert.True(Number($"{model}: mean of q(z|x=1)") * Number($"{model}: mean of q(z|x=−1)") < 0, $"{model}: the posteriors are on one side");
        }

        // ... but the ELBO's posteriors sit further from 0 and further apart, and its aggregate posterior is further
        // from the prior.
        double elboDistance = Number("ELBO: distance between the posterior means");
        double infoDistance = Number("InfoVAE: distance between the posterior means");
        Assert.True(elboDistance > 1.3 * infoDistance, $"ELBO distance {elboDistance} against InfoVAE {infoDistance}");
        Assert.True(Math.Min(Math.Abs(Number("ELBO: mean of q(z|x=1)")), Math.Abs(Number("ELBO: mean of q(z|x=−1)"))) > 1, "the ELBO's posterior means stay within one prior sd of 0");
        Assert.True(Number("ELBO: MMD²(q(z), p(z))") > Number("InfoVAE: MMD²(q(z), p(z))"));

        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
