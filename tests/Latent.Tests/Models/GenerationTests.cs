using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Models;

public sealed class GenerationTests
{
    [Fact]
    public void InterpolationStartsAndEndsAtTheCodesAndSlerpKeepsTheNorm()
    {
        float[] a = [3f, 0f, 0f];
        float[] b = [0f, 0f, 3f];
        var linear = Generation.InterpolateCodes(a, b, 5, spherical: false);
        var spherical = Generation.InterpolateCodes(a, b, 5, spherical: true);
        Assert.Equal(a, linear.Row(0).ToArray());
        Assert.Equal(b, linear.Row(4).ToArray());
        Assert.Equal([1.5f, 0f, 1.5f], linear.Row(2).ToArray());
        for (int s = 0; s < 5; s++)
        {
            var row = spherical.Row(s);
            Assert.Equal(3.0, Math.Sqrt((row[0] * row[0]) + (row[1] * row[1]) + (row[2] * row[2])), 5);
        }

        // Halfway along a quarter circle: both coordinates 3·sin(π/4).
        Assert.Equal(3 * Math.Sin(Math.PI / 4), spherical[2, 0], 5);
        Assert.Equal(3 * Math.Sin(Math.PI / 4), spherical[2, 2], 5);
    }

    [Fact]
    public void ParallelCodesFallBackToLinear()
    {
        var codes = Generation.InterpolateCodes([1f, 1f], [2f, 2f], 3, spherical: true);
        Assert.Equal([1.5f, 1.5f], codes.Row(1).ToArray());
    }

    [Fact]
    public void ManifoldCodesFollowTheGaussianQuantiles()
    {
        var codes = Generation.ManifoldCodes(4);

        // Quantiles 1/8, 3/8, 5/8, 7/8; Φ⁻¹(1/8) = −1.1503493803760079.
        const double q = 1.1503493803760079;
        Assert.Equal(-q, codes[0, 0], 5);
        Assert.Equal(q, codes[0, 1], 5);
        Assert.Equal(q, codes[15, 0], 5);
        Assert.Equal(-q, codes[15, 1], 5);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(-codes[15 - i, 0], codes[i, 0], 5);
        }
    }

    [Fact]
    public void TraversalDecodesOneVaryingLatentAroundZero()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var images = Generation.Traverse(model, [5, 2], steps: 3, range: 3f);
        var codes = Tensor.Zeros(6, 8);
        codes[0, 5] = -3f;
        codes[2, 5] = 3f;
        codes[3, 2] = -3f;
        codes[5, 2] = 3f;
        var expected = model.Decode(codes);
        Assert.Equal(expected.ToArray(), images.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Generation.Traverse(model, [8]));
    }

    [Fact]
    public void ManifoldNeedsTwoLatents()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var error = Assert.Throws<ArgumentException>(() => Generation.Manifold(model));
        Assert.Contains("2-D", error.Message, StringComparison.Ordinal);
    }
}
