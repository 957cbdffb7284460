using Latent.Classical;
using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Classical;

/// <summary>Probabilistic PCA and factor analysis, checked against closed forms and planted models.</summary>
[Trait("Category", "Kernels")]
public class LatentGaussianTests
{
    private static readonly double[] s_scales = [5, 3, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];

    [Fact]
    public void PpcaClosedFormAndEmAgree()
    {
        Tensor x = ClassicalTestData.Spectrum(2000, s_scales, 1, out _);
        var closed = new ProbabilisticPcaOptions { Components = 2 }.Fit(x);
        var em = new ProbabilisticPcaOptions { Components = 2, Solver = PpcaSolver.Em, Tolerance = 1e-12, Seed = 3 }.Fit(x);
        Assert.Equal(closed.NoiseVariance, em.NoiseVariance, 1e-5 * closed.NoiseVariance);
        Assert.Equal(closed.LogLikelihood, em.LogLikelihood, 1e-7);
        using Tensor a = closed.Loadings, b = em.Loadings;
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-3);
        }

        for (int i = 1; i < em.History.Count; i++)
        {
            Assert.True(em.History[i] >= em.History[i - 1] - 1e-12);
        }

        // σ² is the mean of the discarded eigenvalues of S (divisor n), i.e. of PCA's variances times (n − 1)/n.
        var pca = new PcaOptions { Components = 8, Solver = PcaSolver.Full }.Fit(x);
        Assert.Equal(pca.ExplainedVariance.Skip(2).Average() * 1999 / 2000, closed.NoiseVariance, 1e-6);
        Assert.Equal(closed.LogLikelihood, closed.Score(x), 1e-5);
    }

    [Fact]
    public void PpcaDensityPosteriorAndSamplesMatchTheModel()
    {
        Tensor x = ClassicalTestData.Spectrum(800, s_scales, 2, out _);
        var model = new ProbabilisticPcaOptions { Components = 2 }.Fit(x);
        AssertLinearGaussian(x, model.Covariance(), model.Mean, model.Loadings, Enumerable.Repeat(model.NoiseVariance, 8).ToArray(), model.ScoreSamples(x), model.Transform(x));
        using Tensor samples = model.Sample(20000, 4);
        var sampleCovariance = ClassicalTestData.Covariance(samples);
        double[] c = model.Covariance();
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(c[(i * 8) + j], sampleCovariance[i, j], 0.05 * c[0] + 0.05);
            }
        }
    }

    [Theory]
    [InlineData(6, 20000)]
    [InlineData(20, 20000)]
    public void FactorAnalysisRecoversAAtPlusD(int d, int n)
    {
        var rng = new Rng(7);
        int k = 2;
        var a = new double[k * d];
        var noise = new double[d];
        for (int c = 0; c < d; c++)
        {
            a[c] = 1 + (0.1 * c % 1.0);
            a[d + c] = c % 2 == 0 ? 0.8 : -0.6;
            noise[c] = 0.2 + (0.05 * (c % 5));
        }

        var x = Tensor.Zeros(n, d);
        for (int r = 0; r < n; r++)
        {
            double z0 = rng.NextGaussian(), z1 = rng.NextGaussian();
            for (int c = 0; c < d; c++)
            {
                x[r, c] = (float)(1 + (a[c] * z0) + (a[d + c] * z1) + (Math.Sqrt(noise[c]) * rng.NextGaussian()));
            }
        }

        var model = new FactorAnalysisOptions { Components = k, Seed = 1 }.Fit(x);
        Assert.True(model.Converged);
        double[] covariance = model.Covariance();
        for (int i = 0; i < d; i++)
        {
            Assert.Equal(noise[i], model.NoiseVariance[i], 0.03);
            for (int j = 0; j < d; j++)
            {
                double expected = (a[i] * a[j]) + (a[d + i] * a[d + j]) + (i == j ? noise[i] : 0);
                Assert.Equal(expected, covariance[(i * d) + j], 0.08);
            }
        }

        for (int i = 1; i < model.History.Count; i++)
        {
            Assert.True(model.History[i] >= model.History[i - 1] - 1e-9);
        }

        Assert.Equal(model.LogLikelihood, model.Score(x), 1e-4);
        Tensor small = ClassicalTestData.Spectrum(50, Enumerable.Repeat(1.0, d).ToArray(), 3, out _);
        AssertLinearGaussian(small, covariance, model.Mean, model.Loadings, model.NoiseVariance.ToArray(), model.ScoreSamples(small), model.Transform(small));
    }

    [Fact]
    public void ClearErrors()
    {
        Tensor x = ClassicalTestData.Spectrum(50, [2, 1, 0.5], 1, out _);
        Assert.Contains("3 components", Assert.Throws<ArgumentException>(() => new ProbabilisticPcaOptions { Components = 3 }.Fit(x)).Message);
        Tensor flat = ClassicalTestData.Spectrum(50, [2, 1, 0], 1, out _);
        Assert.Contains("noise variance is zero", Assert.Throws<ArgumentException>(() => new ProbabilisticPcaOptions { Components = 2 }.Fit(flat)).Message);
        Assert.Contains("noise floor", Assert.Throws<ArgumentOutOfRangeException>(() => new FactorAnalysisOptions { Components = 1, NoiseFloor = 0 }.Fit(x)).Message);
        Assert.Contains("4 components", Assert.Throws<ArgumentException>(() => new FactorAnalysisOptions { Components = 4 }.Fit(x)).Message);
        x[7, 2] = float.NaN;
        Assert.Contains("row 7, column 2", Assert.Throws<ArgumentException>(() => new FactorAnalysisOptions { Components = 1 }.Fit(x)).Message);
    }

    [Fact]
    public void FactorAnalysisFitsConstantFeaturesAtTheNoiseFloorAndLeavesTheRestAsWithoutThem()
    {
        // Six varying features with two constant ones between them (an image's always-black border pixels).
        const int N = 400;
        Tensor varying = ClassicalTestData.Spectrum(N, [3, 2, 0.7, 0.6, 0.5, 0.4], 5, out _);
        int[] source = [0, -1, 1, 2, -1, 3, 4, 5];
        var padded = Tensor.Zeros(N, source.Length);
        for (int r = 0; r < N; r++)
        {
            for (int c = 0; c < source.Length; c++)
            {
                padded[r, c] = source[c] < 0 ? (c == 1 ? 0f : 0.25f) : varying[r, source[c]];
            }
        }

        foreach (double floor in new[] { 1e-12, 1e-4 })
        {
            var options = new FactorAnalysisOptions { Components = 2, NoiseFloor = floor, Tolerance = 1e-9, Seed = 2 };
            FactorAnalysisModel with = options.Fit(padded), without = options.Fit(varying);
            Assert.True(double.IsFinite(with.LogLikelihood), $"log-likelihood {with.LogLikelihood}");
            for (int i = 1; i < with.History.Count; i++)
            {
                Assert.True(with.History[i] >= with.History[i - 1] - 1e-9, $"iteration {i}: {with.History[i - 1]} -> {with.History[i]}");
            }

            using Tensor a = with.Loadings, b = without.Loadings;
            for (int c = 0; c < source.Length; c++)
            {
                if (source[c] < 0)
                {
                    Assert.Equal(floor, with.NoiseVariance[c]);
                    Assert.Equal(0, a[0, c], 1e-12);
                    Assert.Equal(0, a[1, c], 1e-12);
                }
                else
                {
                    Assert.Equal(without.NoiseVariance[source[c]], with.NoiseVariance[c], 1e-6);
                    Assert.Equal(b[0, source[c]], a[0, c], 1e-4);
                    Assert.Equal(b[1, source[c]], a[1, c], 1e-4);
                }
            }

            // Each constant feature adds the log-density of a point at the mean of N(0, floor): −½(ln 2π + ln floor).
            double perConstant = -0.5 * (Math.Log(2 * Math.PI) + Math.Log(floor));
            Assert.Equal(without.LogLikelihood + (2 * perConstant), with.LogLikelihood, 1e-5 * Math.Abs(with.LogLikelihood));
            Assert.Equal(with.LogLikelihood, with.Score(padded), 1e-4 * Math.Abs(with.LogLikelihood));
            using Tensor codes = with.Transform(padded), reference = without.Transform(varying);
            for (int i = 0; i < codes.Length; i++)
            {
                Assert.Equal(reference[i], codes[i], 1e-3);
            }
        }
    }

    /// <summary>Checks scores against the naive Gaussian density and codes against the naive posterior mean.</summary>
    private static void AssertLinearGaussian(Tensor x, double[] covariance, IReadOnlyList<double> mean, Tensor loadings, double[] noise, double[] scores, Tensor codes)
    {
        int d = x.Columns, k = loadings.Rows;
        var w = Matrix<double>.Build.Dense(k, d, (i, j) => loadings[i, j]);
        var psi = Matrix<double>.Build.DenseOfDiagonalArray(noise);
        var c = w.TransposeThisAndMultiply(w) + psi;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                Assert.Equal(c[i, j], covariance[(i * d) + j], 1e-5);
            }
        }

        var cInverse = c.Inverse();
        double logDet = Math.Log(c.Determinant());
        var posterior = (Matrix<double>.Build.DenseIdentity(k) + (w * psi.Inverse() * w.Transpose())).Inverse() * w * psi.Inverse();
        for (int r = 0; r < x.Rows; r++)
        {
            var diff = Vector<double>.Build.Dense(d, j => x[r, j] - mean[j]);
            double expected = -0.5 * ((d * Math.Log(2 * Math.PI)) + logDet + (diff * (cInverse * diff)));
            Assert.Equal(expected, scores[r], 1e-3 + (1e-5 * Math.Abs(expected)));
            var z = posterior * diff;
            for (int i = 0; i < k; i++)
            {
                Assert.Equal(z[i], codes[r, i], 1e-3);
            }
        }
    }
}
