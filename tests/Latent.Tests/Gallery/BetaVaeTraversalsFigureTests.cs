using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class BetaVaeTraversalsFigureTests
{
    private static double Number(Latent.Gallery.GalleryOutcome outcome, string name) =>
        outcome.Numbers.Single(n => n.Name.StartsWith(name, StringComparison.Ordinal)).Measured;

    [Fact]
    public void AtToySizeBetaFourSpendsFewerNatsAndEveryCodeBeatsChanceOnTheBetaVaeMetric()
    {
        using var folder = new TempFolder();
        var figure = new BetaVaeTraversalsFigure();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));

        // β weighs the KL: the β = 4 code carries clearly fewer nats than the β = 1 code.
        double kl1 = Number(outcome, "β = 1: KL"), kl4 = Number(outcome, "β = 4: KL");
        Assert.True(kl4 < 0.8 * kl1, $"KL β=4 {kl4} should be well below KL β=1 {kl1}");

        // Both codes tell the fixed factor far better than chance (0.2); the scores are proportions.
        foreach (string beta in new[] { "1", "4" })
        {
            Assert.InRange(Number(outcome, $"β = {beta}: β-VAE metric"), 0.3, 1.0);
            Assert.InRange(Number(outcome, $"β = {beta}: mutual information gap"), 0.0, 1.0);
        }

        // The DC-IGN row: the dcign-vae preset trained on the same images, measured the same way.
        Assert.InRange(Number(outcome, "DC-IGN: β-VAE metric"), 0.3, 1.0);
        Assert.InRange(Number(outcome, "DC-IGN: mutual information gap"), 0.0, 1.0);
        Assert.True(Number(outcome, "DC-IGN: KL") > 1, "the DC-IGN code carries information");
        Assert.Equal((3, 9), (outcome.Figure.Rows, outcome.Figure.Columns));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent train dcign-vae --data shapes:n=10000 ", StringComparison.Ordinal));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent traverse runs/beta-vae/dcign ", StringComparison.Ordinal));

        Assert.Equal(2, outcome.Tables.Count);
        Assert.Equal(10, outcome.Tables[0].Rows.Count);
        Assert.Equal(["rank", "β = 1", "β = 4", "DC-IGN"], outcome.Tables[0].Columns.ToArray());
        Assert.Equal(["shape", "scale", "rotation", "x", "y"], outcome.Tables[1].Rows.Select(r => r[0]).ToArray());
        Assert.Contains(figure.Commands(GalleryScale.Toy), c => c.Contains("--from 0 --order kl", StringComparison.Ordinal));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent eval", StringComparison.Ordinal) && c.Contains("--beta-vae-points", StringComparison.Ordinal));

        var png = outcome.Figure.ToPng();
        Assert.True(png.Length > 10_000);
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
