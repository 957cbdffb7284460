using Latent.Classical;
using Latent.Tensors;

namespace Latent.Tests.Classical;

public class PrincipalAnglesTests
{
    [Fact]
    public void TwoPlanesInThreeDimensionsMeetAlongALineAtTheirDihedralAngle()
    {
        // The xy-plane and the plane through the x axis tilted by 30° about it: angles 0 (the shared x axis) and 30°.
        double t = 30 * Math.PI / 180;
        double[] a = [1, 0, 0, 0, 1, 0];
        double[] b = [2, 0, 0, 0, 3 * Math.Cos(t), 3 * Math.Sin(t)]; // scaled spanning rows, not orthonormal
        double[] angles = PrincipalAngles.Between(a, 2, b, 2, 3);
        Assert.Equal(2, angles.Length);
        Assert.Equal(0, angles[0], 12);
        Assert.Equal(t, angles[1], 12);
        Assert.Equal(30, PrincipalAngles.LargestDegrees(a, 2, b, 2, 3), 10);
    }

    [Fact]
    public void TinyAnglesAreAccurateAndOrthogonalSubspacesAreNinetyDegrees()
    {
        // A rotation by 1e-9 rad within a plane: the arccosine alone would give 0 (cos = 1 − 5e-19).
        double e = 1e-9;
        double[] a = [1, 0, 0, 0];
        double[] b = [Math.Cos(e), Math.Sin(e), 0, 0];
        double tiny = PrincipalAngles.Between(a, 1, b, 1, 4)[0];
        Assert.True(Math.Abs(tiny - e) < 1e-20, $"{tiny} rad for {e}");
        double[] c = [0, 0, 1, 0, 0, 0, 0, 1];
        Assert.All(PrincipalAngles.Between([1, 0, 0, 0, 0, 1, 0, 0], 2, c, 2, 4), angle => Assert.Equal(Math.PI / 2, angle, 12));
    }

    [Fact]
    public void AgreesWithTheCosinesOfASubspaceRotatedByKnownAngles()
    {
        // span(e1, e2, e3) against span(cos θᵢ eᵢ + sin θᵢ e_{i+3}), mixed by a random invertible matrix: angles θ sorted.
        double[] theta = [0.7, 0.1, 1.3];
        var rng = new Rng(5);
        var basis = new double[3 * 6];
        for (int i = 0; i < 3; i++)
        {
            basis[(i * 6) + i] = Math.Cos(theta[i]);
            basis[(i * 6) + i + 3] = Math.Sin(theta[i]);
        }

        var mixed = new double[3 * 6];
        for (int r = 0; r < 3; r++)
        {
            for (int i = 0; i < 3; i++)
            {
                double w = rng.NextGaussian() + (r == i ? 3 : 0);
                for (int c = 0; c < 6; c++)
                {
                    mixed[(r * 6) + c] += w * basis[(i * 6) + c];
                }
            }
        }

        double[] identity = [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0];
        double[] angles = PrincipalAngles.Between(identity, 3, mixed, 3, 6);
        Assert.Equal(theta.Order().ToArray(), angles, (x, y) => Math.Abs(x - y) < 1e-12);

        // A line against the 3-D subspace: one angle, the line's angle to it; the order of the arguments does not matter.
        double[] line = [0, Math.Cos(0.4), 0, 0, Math.Sin(0.4), 0];
        Assert.Equal(0.4, PrincipalAngles.Between(line, 1, identity, 3, 6).Single(), 12);
        Assert.Equal(0.4, PrincipalAngles.Between(identity, 3, line, 1, 6).Single(), 12);
    }

    [Fact]
    public void TensorOverloadReadsRowsAsSpanningVectors()
    {
        var a = Tensor.FromArray([1f, 0f, 0f, 0f, 1f, 0f], 2, 3);
        var b = Tensor.FromArray([1f, 1f, 0f], 1, 3);
        Assert.Equal(0, PrincipalAngles.LargestDegrees(a, b), 5);
        Assert.Equal(45, PrincipalAngles.LargestDegrees(b, Tensor.FromArray([1f, 0f, 0f], 1, 3)), 5);
    }

    [Fact]
    public void BadInputsGetErrorsNamingThem()
    {
        var dependent = Assert.Throws<ArgumentException>(() => PrincipalAngles.Between([1, 0, 2, 0], 2, [1, 0], 1, 2));
        Assert.Contains("linearly dependent", dependent.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PrincipalAngles.Between([1, 0, 0], 1, [1, 0], 1, 2));
        Assert.Throws<ArgumentException>(() => PrincipalAngles.Between([double.NaN, 0], 1, [1, 0], 1, 2));
        Assert.Throws<ArgumentException>(() => PrincipalAngles.Between([1, 0, 0, 1, 1, 1], 3, [1, 0], 1, 2));
        Assert.Throws<ArgumentException>(() => PrincipalAngles.Between(Tensor.Zeros(1, 3), Tensor.Zeros(1, 4)));
    }
}
