using Latent.Evaluation;
using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Evaluation;

public class FrechetDistanceTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(10, 3)]
    [InlineData(40, 4)]
    public void MatchesANaiveDiagonalisationOfTheProduct(int d, ulong seed)
    {
        var rng = new Rng(seed);
        double[] mean1 = Normal(rng, d), mean2 = Normal(rng, d);
        double[] covariance1 = RandomCovariance(rng, d), covariance2 = RandomCovariance(rng, d);

        // Naive: the (non-symmetric) product's eigenvalues by a general eigensolver, tr √(Σ₁Σ₂) = Σ √λ.
        var a = Matrix<double>.Build.Dense(d, d, covariance1);
        var b = Matrix<double>.Build.Dense(d, d, covariance2);
        double traceRoot = (a * b).Evd().EigenValues.Sum(l => Math.Sqrt(Math.Max(0, l.Real)));
        double expected = mean1.Zip(mean2, (x, y) => (x - y) * (x - y)).Sum() + a.Trace() + b.Trace() - (2 * traceRoot);

        double actual = FrechetDistance.FromMoments(mean1, covariance1, mean2, covariance2);
        Assert.Equal(expected, actual, 1e-8 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void EqualCovariancesLeaveTheSquaredMeanDistanceAndDiagonalOnesTheSquaredRootDifferences()
    {
        var rng = new Rng(5);
        const int D = 12;
        double[] mean1 = Normal(rng, D), mean2 = Normal(rng, D);
        double[] covariance = RandomCovariance(rng, D);
        double meanTerm = mean1.Zip(mean2, (x, y) => (x - y) * (x - y)).Sum();
        Assert.Equal(meanTerm, FrechetDistance.FromMoments(mean1, covariance, mean2, covariance), 1e-9);
        Assert.Equal(0, FrechetDistance.FromMoments(mean1, covariance, mean1, covariance), 1e-9);

        var a = new double[D * D];
        var b = new double[D * D];
        double expected = meanTerm;
        for (int i = 0; i < D; i++)
        {
            a[(i * D) + i] = 0.1 + (i * 0.7);
            b[(i * D) + i] = 2.5 / (i + 1);
            expected += Math.Pow(Math.Sqrt(a[(i * D) + i]) - Math.Sqrt(b[(i * D) + i]), 2);
        }

        Assert.Equal(expected, FrechetDistance.FromMoments(mean1, a, mean2, b), 1e-9);
        // A singular covariance (a point mass) is allowed: the distance to N(μ, Σ) is ‖Δμ‖² + tr Σ.
        Assert.Equal(meanTerm + b.Where((_, k) => k % (D + 1) == 0).Sum(), FrechetDistance.FromMoments(mean1, new double[D * D], mean2, b), 1e-9);
    }

    [Fact]
    public void SampledGaussiansApproachTheClosedFormAndBadShapesAreRefused()
    {
        // x ~ N(0, diag(1, 4, 9)), y ~ N((1, 0, 0), I): closed form 1 + (1−1)² + (2−1)² + (3−1)² = 6.
        var rng = new Rng(9);
        const int N = 20_000;
        var x = Tensor.Zeros(N, 3);
        var y = Tensor.Zeros(N, 3);
        rng.FillNormal(x.Span);
        rng.FillNormal(y.Span);
        for (int i = 0; i < N; i++)
        {
            x[i, 1] *= 2;
            x[i, 2] *= 3;
            y[i, 0] += 1;
        }

        Assert.Equal(6, FrechetDistance.Between(x, y), 0.15);
        (var mean, var covariance) = FrechetDistance.Moments(x);
        Assert.Equal(4, covariance[4], 0.15);
        Assert.Equal(0, mean[2], 0.05);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(Tensor.Zeros(5, 3), Tensor.Zeros(5, 4)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(Tensor.Zeros(1, 3), Tensor.Zeros(5, 3)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.FromMoments([0, 0], [1, 0, 0, 1], [0], [1]));
    }

    private static double[] Normal(Rng rng, int count)
    {
        var values = new float[count];
        rng.FillNormal(values);
        return [.. values.Select(v => (double)v)];
    }

    // A · Aᵀ / d + 0.01·I for a random A: symmetric positive definite, not diagonal.
    private static double[] RandomCovariance(Rng rng, int d)
    {
        double[] a = Normal(rng, d * d);
        var covariance = new double[d * d];
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                double sum = r == c ? 0.01 : 0;
                for (int k = 0; k < d; k++)
                {
                    sum += a[(r * d) + k] * a[(c * d) + k] / d;
                }

                covariance[(r * d) + c] = sum;
            }
        }

        return covariance;
    }
}
