using Latent.Classical;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>
/// The diagonal and spherical EM on stacked rows [x², x, 1] (one GEMM for the log densities, one for the M-step's
/// sums) against a naive per-point EM in double.
/// </summary>
[Trait("Category", "Kernels")]
public class DiagonalMixtureEmTests
{
    private const double FloatEpsilon = 1.0 / (1 << 23);

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void StackedStepMatchesTheNaiveDensitiesAndSums(CovarianceType type)
    {
        // 5000 rows: three blocks of RowBlocks.Size, the last partial; a mean far from 0 so that the offset matters.
        const int n = 5000, d = 7, k = 4;
        var rng = new Rng(11);
        float[] raw = new float[n * d];
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = (float)(3 + (2 * rng.NextGaussian()));
        }

        var means = new double[k * d];
        var covariances = new double[type == CovarianceType.Diagonal ? k * d : k];
        double[] weights = [0.1, 0.2, 0.3, 0.4];
        for (int i = 0; i < means.Length; i++)
        {
            means[i] = rng.NextGaussian();
        }

        for (int i = 0; i < covariances.Length; i++)
        {
            covariances[i] = 0.5 + (4 * rng.NextDouble());
        }

        float[] offset = new float[d];
        for (int c = 0; c < d; c++)
        {
            offset[c] = (float)Enumerable.Range(0, n).Average(i => raw[(i * d) + c]);
        }

        var density = new MixtureDensity(type, k, d, weights, means, covariances, offset);
        float[] x = new float[n * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = raw[i] - offset[i % d];
        }

        // The fit's rows: the data less its column means (the same offset in float), stacked.
        var rows = GaussianMixtureRows.Centre(SourceBlocks.Of(raw, n, d), stack: true);
        Assert.Equal(offset, rows.Offset);
        double logLikelihood = DiagonalMixtureEm.Step(density, rows, out double[] sums);
        var responsibilities = new float[n * k];
        double perPoint = GaussianMixture.EStep(density, rows.X, responsibilities);

        // Naive: log wⱼ + log N(x | μⱼ, diag σ²ⱼ) term by term in double, with μ in the data's coordinates.
        double expectedLogLikelihood = 0;
        int stride = DiagonalMixtureEm.Stride(d);
        var expectedSums = new double[k * stride];
        var log = new double[k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double value = Math.Log(weights[j]);
                for (int c = 0; c < d; c++)
                {
                    double variance = type == CovarianceType.Diagonal ? covariances[(j * d) + c] : covariances[j];
                    double diff = raw[(i * d) + c] - (means[(j * d) + c] + offset[c]);
                    value -= 0.5 * ((diff * diff / variance) + Math.Log(2 * Math.PI * variance));
                }

                log[j] = value;
            }

            double max = log.Max();
            double total = log.Sum(v => Math.Exp(v - max));
            expectedLogLikelihood += max + Math.Log(total);
            for (int j = 0; j < k; j++)
            {
                double r = Math.Exp(log[j] - max) / total;
                Assert.Equal(r, responsibilities[(i * k) + j], 1e-5);
                for (int c = 0; c < d; c++)
                {
                    double centred = x[(i * d) + c];
                    expectedSums[(j * stride) + c] += r * centred * centred;
                    expectedSums[(j * stride) + d + c] += r * centred;
                }

                expectedSums[(j * stride) + (2 * d)] += r;
            }
        }

        expectedLogLikelihood /= n;
        Assert.True(Math.Abs(logLikelihood - expectedLogLikelihood) <= 1e-6 * Math.Abs(expectedLogLikelihood), $"{logLikelihood} vs {expectedLogLikelihood}");
        Assert.True(Math.Abs(perPoint - expectedLogLikelihood) <= 1e-6 * Math.Abs(expectedLogLikelihood), $"{perPoint} vs {expectedLogLikelihood}");
        for (int j = 0; j < k; j++)
        {
            // Sums of x² and of rx are compared against the largest magnitude of their kind (the x sums cancel).
            double countScale = expectedSums[(j * stride) + (2 * d)];
            Assert.Equal(countScale, sums[(j * stride) + (2 * d)], 1e-5 * countScale);
            for (int c = 0; c < 2 * d; c++)
            {
                double scale = Math.Max(countScale, Math.Abs(expectedSums[(j * stride) + c]));
                Assert.True(Math.Abs(sums[(j * stride) + c] - expectedSums[(j * stride) + c]) <= 1e-5 * scale, $"component {j}, column {c}: {sums[(j * stride) + c]} vs {expectedSums[(j * stride) + c]}");
            }
        }

        // The M-step on the responsibilities as a separate pass gives the same sums as the fused one.
        double[] separate = DiagonalMixtureEm.Sums(responsibilities, rows, k);
        for (int i = 0; i < sums.Length; i++)
        {
            Assert.Equal(sums[i], separate[i], 1e-5 * Math.Max(1, Math.Abs(sums[i])));
        }
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void FitFollowsTheNaiveEmStepByStepAndConvergesAtTheSameIteration(CovarianceType type)
    {
        // Three well-separated clusters in 5 dimensions with different spreads, 4500 rows (three blocks).
        const int n = 4500, d = 5, k = 3;
        var rng = new Rng(21);
        var data = Tensor.Zeros(n, d);
        double[] spread = [0.5, 1, 2];
        for (int i = 0; i < n; i++)
        {
            int j = i % k;
            for (int c = 0; c < d; c++)
            {
                data[i, c] = (float)(10 + (8 * j * (c % 2 == 0 ? 1 : -1)) + (spread[j] * (1 + (0.2 * c)) * rng.NextGaussian()));
            }
        }

        var options = new GaussianMixtureOptions { Components = k, CovarianceType = type, Tolerance = 1e-5, RecordHistory = true, Seed = 5 };
        GaussianMixtureModel model = options.Fit(data);
        Assert.True(model.Converged);
        Assert.True(model.Iterations >= 2, $"{model.Iterations} iterations");

        // Every recorded step is the naive EM step from the one before it.
        for (int t = 0; t < model.Iterations; t++)
        {
            (double[] w, double[] mu, double[] v) = Parameters(model.Steps[t], k, d);
            (double logLikelihood, double[] w1, double[] mu1, double[] v1) = NaiveStep(data, w, mu, v, type, options.RegCovar);
            Assert.True(Math.Abs(logLikelihood - model.History[t]) <= 1e-6 * Math.Abs(logLikelihood), $"step {t}: {model.History[t]} vs {logLikelihood}");
            (double[] w2, double[] mu2, double[] v2) = Parameters(model.Steps[t + 1], k, d);
            AssertClose(w1, w2, 1e-6, $"weights after step {t}");
            AssertClose(mu1, mu2, 1e-5, $"means after step {t}");
            AssertClose(v1, v2, 1e-4, $"variances after step {t}");
        }

        // The naive EM from the same start stops at the same iteration with the same log-likelihood.
        (double[] weights, double[] means, double[] variances) = Parameters(model.Steps[0], k, d);
        double previous = double.NegativeInfinity;
        int iterations = 0;
        double bound = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            (bound, weights, means, variances) = NaiveStep(data, weights, means, variances, type, options.RegCovar);
            if (Math.Abs(bound - previous) < options.Tolerance)
            {
                break;
            }

            previous = bound;
        }

        Assert.Equal(iterations, model.Iterations);
        Assert.Equal(bound, model.LowerBound, 1e-6 * Math.Abs(bound));
        AssertClose(means, Parameters(model.Steps[^1], k, d).Means, 1e-5, "final means");
    }

    /// <summary>Weights, means and variances (per feature, also for the spherical form) in the data's coordinates.</summary>
    private static (double[] Weights, double[] Means, double[] Variances) Parameters(GaussianMixtureStep step, int k, int d)
    {
        using Tensor means = step.Means;
        var mu = new double[k * d];
        var variances = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            double[] covariance = step.Covariance(j);
            for (int c = 0; c < d; c++)
            {
                mu[(j * d) + c] = means[j, c];
                variances[(j * d) + c] = covariance[(c * d) + c];
            }
        }

        return (step.Weights.ToArray(), mu, variances);
    }

    /// <summary>One EM step, point by point in double: the mean log-likelihood of the given parameters and the next ones.</summary>
    private static (double LogLikelihood, double[] Weights, double[] Means, double[] Variances) NaiveStep(
        Tensor data, double[] weights, double[] means, double[] variances, CovarianceType type, double reg)
    {
        int n = data.Rows, d = data.Columns, k = weights.Length;
        var r = new double[n * k];
        double logLikelihood = 0;
        var log = new double[k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double value = Math.Log(weights[j]);
                for (int c = 0; c < d; c++)
                {
                    double variance = variances[(j * d) + c], diff = data[i, c] - means[(j * d) + c];
                    value -= 0.5 * ((diff * diff / variance) + Math.Log(2 * Math.PI * variance));
                }

                log[j] = value;
            }

            double max = log.Max(), total = log.Sum(v => Math.Exp(v - max));
            logLikelihood += max + Math.Log(total);
            for (int j = 0; j < k; j++)
            {
                r[(i * k) + j] = Math.Exp(log[j] - max) / total;
            }
        }

        var nextWeights = new double[k];
        var nextMeans = new double[k * d];
        var nextVariances = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            double count = Enumerable.Range(0, n).Sum(i => r[(i * k) + j]) + (10 * FloatEpsilon);
            nextWeights[j] = count / n;
            for (int c = 0; c < d; c++)
            {
                nextMeans[(j * d) + c] = Enumerable.Range(0, n).Sum(i => r[(i * k) + j] * data[i, c]) / count;
            }

            for (int c = 0; c < d; c++)
            {
                double mu = nextMeans[(j * d) + c];
                nextVariances[(j * d) + c] = (Enumerable.Range(0, n).Sum(i => r[(i * k) + j] * (data[i, c] - mu) * (data[i, c] - mu)) / count) + reg;
            }

            if (type == CovarianceType.Spherical)
            {
                double average = nextVariances.AsSpan(j * d, d).ToArray().Average();
                nextVariances.AsSpan(j * d, d).Fill(average);
            }
        }

        return (logLikelihood / n, nextWeights, nextMeans, nextVariances);
    }

    private static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1, Math.Abs(expected[i])), $"{what} [{i}]: {actual[i]} vs {expected[i]}");
        }
    }
}
