using System.Numerics.Tensors;
using Latent.Classical;
using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>
/// The dsyevx-style eigensolver (Householder tridiagonalisation, implicit QL, inverse iteration, back-transformation)
/// against MathNet's full EVD (<see cref="DenseMath.SymmetricEigen(double[], int)"/>).
/// </summary>
[Trait("Category", "Kernels")]
public class SymmetricEigenTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(17, 17)]
    [InlineData(60, 10)]
    [InlineData(130, 130)]
    public void RandomSymmetricMatchesTheFullEvd(int n, int vectors)
    {
        var rng = new Rng((ulong)(n * 31) + 7);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = rng.NextGaussian();
            }
        }

        Check(a, n, vectors);
    }

    [Fact]
    public void RankDeficientCovariance()
    {
        // XᵀX for 12 samples of 50 features: 38 eigenvalues are (numerically) zero, a cluster of 38 vectors.
        int n = 12, d = 50;
        var rng = new Rng(3);
        double[] x = [.. Enumerable.Range(0, n * d).Select(_ => rng.NextGaussian())];
        var a = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                for (int r = 0; r < n; r++)
                {
                    a[(i * d) + j] += x[(r * d) + i] * x[(r * d) + j];
                }
            }
        }

        Check(a, d, d);
    }

    [Fact]
    public void IdentityBlockAndCloseEigenvalues()
    {
        // Q·diag(λ)·Qᵀ with λ holding an eight-fold 1, a pair 1e-9 apart and a graded tail, as covariances have.
        int n = 40;
        var rng = new Rng(11);
        double[] q = ClassicalTestData.RandomOrthogonal(n, rng);
        var lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = i < 2 ? 50 - i : i < 10 ? 1 : i == 10 ? 0.5 : i == 11 ? 0.5 - 1e-9 : Math.Pow(0.7, i);
        }

        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    s += q[(k * n) + i] * lambda[k] * q[(k * n) + j];
                }

                a[(i * n) + j] = s;
            }
        }

        // Exactly symmetric, as the solver assumes.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                a[(j * n) + i] = a[(i * n) + j];
            }
        }

        Check(a, n, 20);
        (double[] values, _) = DenseMath.SymmetricEigen(a, n, 0);
        Array.Sort(lambda, (x, y) => y.CompareTo(x));
        Assert.Equal(lambda, values, (x, y) => Math.Abs(x - y) <= 1e-12 * 50);
    }

    [Fact]
    public void DiagonalAndTridiagonalInputsNeedNoReflection()
    {
        int n = 9;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] = i % 3;
            if (i > 0 && i != 4)
            {
                a[(i * n) + i - 1] = a[((i - 1) * n) + i] = 0.25 * i;
            }
        }

        Check(a, n, n);
        Check(new double[n * n], n, n);
    }

    /// <summary>
    /// All eigenvalues to 1e-10 of the largest magnitude; each vector unit, orthogonal to the others and with
    /// residual ‖A·v − λv‖ ≤ 1e-9·‖A‖; vectors of eigenvalues separated by 1e-3·‖A‖ from their neighbours equal
    /// MathNet's to 1e-8 up to sign (others are only defined up to a rotation within their eigenspace).
    /// </summary>
    private static void Check(double[] a, int n, int count)
    {
        (double[] expectedValues, double[] expectedVectors) = DenseMath.SymmetricEigen(a, n);
        double[] copy = (double[])a.Clone();
        (double[] values, double[] vectors) = DenseMath.SymmetricEigen(a, n, count);
        Assert.Equal(copy, a);
        Assert.Equal(n, values.Length);
        Assert.Equal(count * n, vectors.Length);
        double scale = Math.Max(expectedValues.Max(Math.Abs), 1e-300);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(values[i] - expectedValues[i]) <= 1e-10 * scale, $"value {i}: {values[i]} vs {expectedValues[i]}");
        }

        var av = new double[n];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> v = vectors.AsSpan(i * n, n);
            for (int j = 0; j <= i; j++)
            {
                double dot = TensorPrimitives.Dot<double>(v, vectors.AsSpan(j * n, n));
                Assert.True(Math.Abs(dot - (i == j ? 1 : 0)) <= 1e-9, $"vectors {i}, {j}: dot {dot}");
            }

            for (int r = 0; r < n; r++)
            {
                av[r] = TensorPrimitives.Dot<double>(a.AsSpan(r * n, n), v) - (values[i] * v[r]);
            }

            double residual = TensorPrimitives.Norm<double>(av);
            Assert.True(residual <= 1e-9 * scale, $"vector {i}: residual {residual}");
            bool separated = (i == 0 || expectedValues[i - 1] - expectedValues[i] > 1e-3 * scale)
                && (i == n - 1 || expectedValues[i] - expectedValues[i + 1] > 1e-3 * scale);
            if (separated)
            {
                ReadOnlySpan<double> e = expectedVectors.AsSpan(i * n, n);
                double sign = TensorPrimitives.Dot<double>(v, e) < 0 ? -1 : 1;
                for (int c = 0; c < n; c++)
                {
                    Assert.True(Math.Abs((sign * v[c]) - e[c]) <= 1e-8, $"vector {i}[{c}]: {sign * v[c]} vs {e[c]}");
                }
            }
        }
    }
}
