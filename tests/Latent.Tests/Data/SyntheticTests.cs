using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class SyntheticTests
{
    [Fact]
    public void OneHot8IsTheIdentity()
    {
        var data = Synthetic.OneHot8();
        Assert.Equal((8, 8), (data.Count, data.Dimension));
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(i == j ? 1f : 0f, data.Features[i, j]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 8), data.Labels!);
    }

    [Fact]
    public void BlobsClusterAroundTheirCentres()
    {
        var data = Synthetic.Blobs(3000, clusters: 3, dimension: 4, seed: 1, spread: 0.5f);
        Assert.Equal((3000, 4), (data.Count, data.Dimension));
        Assert.Equal(1000, data.Labels!.Count(l => l == 2));
        for (int c = 0; c < 3; c++)
        {
            var members = Enumerable.Range(0, 3000).Where(i => data.Labels![i] == c).ToArray();
            for (int j = 0; j < 4; j++)
            {
                var column = members.Select(i => (double)data.Features[i, j]).ToArray();
                double mean = column.Average();
                double sd = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
                Assert.InRange(mean, -10.2, 10.2);
                Assert.InRange(sd, 0.45, 0.55);
            }
        }

        Assert.Equal(data.Features.ToArray(), Synthetic.Blobs(3000, 3, 4, 1, 0.5f).Features.ToArray());
    }

    [Fact]
    public void MoonsAndSwissRollLieOnTheirCurves()
    {
        var moons = Synthetic.Moons(400, seed: 2, noise: 0f);
        for (int i = 0; i < moons.Count; i++)
        {
            double x = moons.Features[i, 0], y = moons.Features[i, 1];
            // Upper moon on the unit circle around (0, 0); lower moon on the unit circle around (1, 0.5).
            double radius = moons.Labels![i] == 0 ? Math.Sqrt((x * x) + (y * y)) : Math.Sqrt(((x - 1) * (x - 1)) + ((y - 0.5) * (y - 0.5)));
            Assert.Equal(1.0, radius, 4);
        }

        var roll = Synthetic.SwissRoll(500, seed: 3);
        for (int i = 0; i < roll.Count; i++)
        {
            double x = roll.Features[i, 0], h = roll.Features[i, 1], z = roll.Features[i, 2];
            double t = Math.Sqrt((x * x) + (z * z));
            Assert.InRange(t, (1.5 * Math.PI) - 1e-4, (4.5 * Math.PI) + 1e-4);
            Assert.InRange(h, 0, 21);
            Assert.InRange(roll.Labels![i], 0, 5);
            Assert.Equal(Math.Min(5, (int)((t - (1.5 * Math.PI)) / (3 * Math.PI) * 6)), roll.Labels![i]);
        }
    }

    [Fact]
    public void ShapesCoverEveryFactorCombination()
    {
        var shapes = new ShapesSource();
        Assert.Equal(3 * 6 * 40 * 32 * 32, shapes.Count);
        Assert.Equal(new ImageShape(1, 64, 64), shapes.ImageShape);
        Span<int> factors = stackalloc int[5];
        foreach (int index in new[] { 0, 1, 31, 32, 1023, 1024, 40959, 40960, 245759, 245760, shapes.Count - 1 })
        {
            ShapesSource.GetFactors(index, factors);
            Assert.Equal(index, ShapesSource.IndexOf(factors));
            for (int f = 0; f < 5; f++)
            {
                Assert.InRange(factors[f], 0, ShapesSource.FactorSizes[f] - 1);
            }
        }

        ShapesSource.GetFactors(shapes.Count - 1, factors);
        Assert.Equal([2, 5, 39, 31, 31], factors.ToArray());
        Assert.Equal(0.5, ShapesSource.FactorValue(1, 0), 12);
        Assert.Equal(1.0, ShapesSource.FactorValue(1, 5), 12);
        Assert.Equal(1.0, ShapesSource.FactorValue(3, 31), 12);
        var labels = new int[2];
        shapes.CopyLabels([245759, 245760], labels);
        Assert.Equal([0, 1], labels);
    }

    [Theory]
    [InlineData(0, 5, 0, 10, 20)]
    [InlineData(0, 0, 7, 0, 31)]
    [InlineData(1, 3, 13, 31, 0)]
    [InlineData(2, 5, 20, 16, 16)]
    public void ShapesAreDrawnWhereTheirFactorsSay(int shape, int scale, int rotation, int x, int y)
    {
        var image = new float[64 * 64];
        ShapesSource.Render([shape, scale, rotation, x, y], image);
        Assert.All(image, v => Assert.True(v is 0f or 1f));
        double area = image.Sum(), s = 10 * ShapesSource.FactorValue(1, scale);
        double cx = 0, cy = 0;
        for (int i = 0; i < image.Length; i++)
        {
            cx += image[i] * ((i % 64) + 0.5);
            cy += image[i] * ((i / 64) + 0.5);
        }

        cx /= area;
        cy /= area;
        // Areas of the unit shapes scaled by s: square 4s², ellipse πs²/2; the heart's is 3.66s² / 1.44 (measured on a fine grid).
        double expected = shape switch { 0 => 4 * s * s, 1 => Math.PI * s * s / 2, _ => 3.66 * s * s / 1.44 };
        Assert.InRange(area, expected * 0.85, expected * 1.15);
        // Nothing touches the frame: the shape is fully inside.
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(0f, image[i]);
            Assert.Equal(0f, image[(63 * 64) + i]);
            Assert.Equal(0f, image[i * 64]);
            Assert.Equal(0f, image[(i * 64) + 63]);
        }

        if (shape < 2)
        {
            // Symmetric shapes are centred on their position.
            Assert.Equal(16 + (32 * ShapesSource.FactorValue(3, x)), cx, 0.6);
            Assert.Equal(16 + (32 * ShapesSource.FactorValue(4, y)), cy, 0.6);
        }
    }
}
