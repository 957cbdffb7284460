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

    [Fact]
    public void PriorInterpolationDecodesTheTwoDrawnCodesAtItsEnds()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var ends = Generation.PriorPair(model.Latent, new Rng(3));
        Assert.Equal((2, model.Latent), (ends.Rows, ends.Columns));
        Assert.NotEqual(ends.Row(0).ToArray(), ends.Row(1).ToArray());
        foreach (bool spherical in new[] { false, true })
        {
            var images = Generation.InterpolatePrior(model, new Rng(3), 6, spherical);
            Assert.Equal((6, model.Inputs), (images.Rows, images.Columns));
            var decodedEnds = model.Decode(ends);
            Assert.Equal(decodedEnds.Row(0).ToArray(), images.Row(0).ToArray());
            Assert.Equal(decodedEnds.Row(1).ToArray(), images.Row(5).ToArray());

            // Deterministic for a seed, different for another.
            Assert.Equal(images.ToArray(), Generation.InterpolatePrior(model, new Rng(3), 6, spherical).ToArray());
            Assert.NotEqual(images.ToArray(), Generation.InterpolatePrior(model, new Rng(4), 6, spherical).ToArray());
        }
    }

    [Fact]
    public void SlerpBetweenGaussianDrawsKeepsTheNormWhileTheLinearPathDips()
    {
        var rng = new Rng(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var ends = Generation.PriorPair(50, rng);
            var endNorms = Generation.CodeNorms(ends);
            var spherical = Generation.CodeNorms(Generation.InterpolateCodes(ends.Row(0), ends.Row(1), 11, spherical: true));
            var linear = Generation.CodeNorms(Generation.InterpolateCodes(ends.Row(0), ends.Row(1), 11, spherical: false));
            // Between the ends' norms up to a small overshoot when the angle is not a right one.
            Assert.All(spherical, norm => Assert.InRange(norm, 0.99 * endNorms.Min(), 1.01 * endNorms.Max()));

            // Independent 50-D draws are nearly orthogonal: the linear midpoint's norm is about 1/√2 of the ends'.
            Assert.InRange(linear[5] / Math.Sqrt(endNorms[0] * endNorms[1]), 0.5, 0.9);
            Assert.True(linear.Min() < spherical.Min());
        }
    }

    [Fact]
    public void CodeNormsAreTheRowsEuclideanNorms()
    {
        var codes = Tensor.Zeros(2, 2);
        codes[0, 0] = 3f;
        codes[0, 1] = -4f;
        Assert.Equal([5.0, 0.0], Generation.CodeNorms(codes));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generation.PriorPair(0, new Rng(1)));
    }
}
