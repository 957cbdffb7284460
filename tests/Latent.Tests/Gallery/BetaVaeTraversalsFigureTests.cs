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
        Assert.Equal((4, 9), (outcome.Figure.Rows, outcome.Figure.Columns));

        // The InfoGAN row: the recognition head's code means scored by the same measures, and its codes ordered by how
        // far each moves the generated image (the first moves it, by construction no less than the last).
        Assert.InRange(Number(outcome, "InfoGAN: β-VAE metric"), 0.2, 1.0);
        Assert.InRange(Number(outcome, "InfoGAN: mutual information gap"), 0.0, 1.0);
        Assert.InRange(Number(outcome, "InfoGAN: image change"), 0.005, 1.0);
        var codes = outcome.Tables[2];
        Assert.Equal(5, codes.Rows.Count);
        Assert.Equal(5, codes.Rows.Select(r => r[0]).Distinct().Count());
        var moves = codes.Rows.Select(r => double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(moves.OrderByDescending(m => m), moves);
        Assert.Equal(["factor", "β = 1", "β = 4", "DC-IGN", "InfoGAN"], outcome.Tables[1].Columns.ToArray());

        // Its commands train the narrowed 16×16 network, traverse its codes and score it on the same data.
        var quick = figure.Commands(GalleryScale.Quick);
        Assert.Contains(quick, c => c.StartsWith("latent train infogan --data shapes:side=16,n=", StringComparison.Ordinal) && c.Contains("--generator fc128", StringComparison.Ordinal) && c.EndsWith("--out runs/beta-vae/infogan", StringComparison.Ordinal));
        Assert.Contains(quick, c => c.StartsWith("latent traverse runs/beta-vae/infogan --steps 9 --seed 0 --out ", StringComparison.Ordinal));
        Assert.Contains(quick, c => c.StartsWith("latent eval runs/beta-vae/infogan --data shapes:side=16,n=", StringComparison.Ordinal) && c.Contains("--mig-items", StringComparison.Ordinal));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent train dcign-vae --data shapes:n=10000 ", StringComparison.Ordinal));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent traverse runs/beta-vae/dcign ", StringComparison.Ordinal));

        Assert.Equal(3, outcome.Tables.Count);
        Assert.Equal(10, outcome.Tables[0].Rows.Count);
        Assert.Equal(["rank", "β = 1", "β = 4", "DC-IGN"], outcome.Tables[0].Columns.ToArray());
        Assert.Equal(["shape", "scale", "rotation", "x", "y"], outcome.Tables[1].Rows.Select(r => r[0]).ToArray());
        Assert.Contains(figure.Commands(GalleryScale.Toy), c => c.Contains("--from 0 --order kl", StringComparison.Ordinal));
        Assert.Contains(figure.Commands(GalleryScale.Quick), c => c.StartsWith("latent eval", StringComparison.Ordinal) && c.Contains("--beta-vae-points", StringComparison.Ordinal));

        var png = outcome.Figure.ToPng();
        Assert.True(png.Length > 10_000);
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheInfoganTraversalSweepsOneCodePerRowAndEnlargesEachImageByPixelBlocks()
    {
        var row = InfoganRow.For(GalleryScale.Quick);
        var network = new Latent.Models.AdversarialNetwork(row.Network);
        int[] order = [3, 0, 4, 1, 2];
        var traversal = InfoganRow.Traverse(network, order, 9, ShapesSource.Size);

        // 5 rows of 9 images, each 16×16 image as 64×64 blocks of 4×4 equal pixels.
        Assert.Equal((45, 64 * 64), (traversal.Rows, traversal.Columns));
        var image = traversal.Row(10);
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                Assert.Equal(image[((y / 4) * 4 * 64) + ((x / 4) * 4)], image[(y * 64) + x]);
            }
        }

        // Within a row only the row's code changes: the first and last image of row 0 are the same z but for code c4.
        var z = network.DrawLatent(1, InfoganRow.TraversalSeed);
        var first = z.Clone();
        first.Row(0)[network.Options.Noise + 3] = -1f;
        var generated = network.Generate(first);
        Assert.Equal(generated[0, 0], traversal[0, 0], 5);
        Assert.Equal(generated[0, 15], traversal[0, 60], 5);
        Assert.Equal(5, InfoganRow.Movement(network).Length);
    }
}
