using Latent.Classical;
using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Classical;

[Trait("Category", "Kernels")]
public class GaussianMixtureTests
{
    private static readonly double[] s_trueWeights = [0.5, 0.3, 0.2];
    private static readonly double[][] s_trueMeans = [[0, 0], [5, 1], [1, 6]];
    private static readonly double[][] s_trueCovariances = [[1, 0.5, 0.5, 1], [0.5, 0, 0, 2], [1.5, -0.7, -0.7, 0.8]];

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public void LogLikelihoodNeverDecreases(CovarianceType type)
    {
        Tensor x = KnownMixture(1500, 1, out _);
        // Uniform random responsibilities give a tied mixture identical components (a fixed point), so it starts from k-means.
        MixtureInit init = type == CovarianceType.Tied ? MixtureInit.KMeans : MixtureInit.Random;
        var model = new GaussianMixtureOptions { Components = 3, CovarianceType = type, Init = init, Tolerance = 1e-7, MaxIterations = 60, Seed = 4 }.Fit(x);
        Assert.True(model.Iterations > 2, $"{model.Iterations} iterations");
        // EM cannot decrease the likelihood; the allowance is for float32 rounding of responsibilities and products.
        for (int i = 1; i < model.History.Count; i++)
        {
            Assert.True(model.History[i] >= model.History[i - 1] - 1e-6, $"iteration {i}: {model.History[i - 1]} -> {model.History[i]}");
        }

        // The final parameters come from one more M-step, so they score at least the last recorded value.
        Assert.True(model.Score(x) >= model.History[^1] - 1e-6, $"{model.Score(x)} < {model.History[^1]}");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public void RecordedStepsAreEveryIterationsParametersAndTheLastIsTheModel(CovarianceType type)
    {
        Tensor x = KnownMixture(800, 3, out _);
        MixtureInit init = type == CovarianceType.Tied ? MixtureInit.KMeans : MixtureInit.Random;
        var options = new GaussianMixtureOptions { Components = 3, CovarianceType = type, Init = init, MaxIterations = 40, Restarts = 2, Seed = 6 };
        GaussianMixtureModel model = (options with { RecordHistory = true }).Fit(x);
        GaussianMixtureModel plain = options.Fit(x);
        Assert.Empty(plain.Steps);
        Assert.Equal(plain.History, model.History);
        Assert.Equal(model.Iterations + 1, model.Steps.Count);
        for (int i = 0; i < model.Steps.Count; i++)
        {
            Assert.Equal(i, model.Steps[i].Iteration);
            if (i < model.Iterations)
            {
                Assert.Equal(model.History[i], model.Steps[i].LogLikelihood);
            }

            if (i > 0)
            {
                Assert.True(model.Steps[i].LogLikelihood >= model.Steps[i - 1].LogLikelihood - 1e-6, $"step {i}");
            }
        }

        // The last step holds the model's own parameters and their log-likelihood.
        GaussianMixtureStep last = model.Steps[^1];
        Assert.Equal(model.Score(x), last.LogLikelihood, 1e-5);
        Assert.Equal(model.Weights, last.Weights);
        using Tensor means = model.Means, stepMeans = last.Means;
        Assert.Equal(means.ToArray(), stepMeans.ToArray());
        for (int j = 0; j < 3; j++)
        {
            double[] sigma = last.Covariance(j);
            double[] stored = model.Covariances;
            double[] expected = type switch
            {
                CovarianceType.Full => stored[(j * 4)..((j + 1) * 4)],
                CovarianceType.Tied => stored,
                CovarianceType.Diagonal => [stored[j * 2], 0, 0, stored[(j * 2) + 1]],
                _ => [stored[j], 0, 0, stored[j]],
            };
            Assert.Equal(expected, sigma);
        }

        // The initial parameters differ from the final ones: the steps are snapshots, not one shared array.
        using Tensor first = model.Steps[0].Means;
        Assert.NotEqual(first.ToArray(), stepMeans.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => last.Covariance(3));
    }

    [Fact]
    public void RandomSamplesStartsWithMeansAtSamplesAndTheDataCovariance()
    {
        Tensor x = KnownMixture(600, 7, out _);
        var model = new GaussianMixtureOptions { Components = 3, Init = MixtureInit.RandomSamples, RecordHistory = true, MaxIterations = 200, Seed = 2 }.Fit(x);
        GaussianMixtureStep initial = model.Steps[0];
        using Tensor means = initial.Means;
        double mx = 0, my = 0;
        for (int i = 0; i < 600; i++)
        {
            mx += x[i, 0] / 600.0;
            my += x[i, 1] / 600.0;
        }

        double vxx = 0, vxy = 0, vyy = 0;
        for (int i = 0; i < 600; i++)
        {
            vxx += (x[i, 0] - mx) * (x[i, 0] - mx) / 600;
            vxy += (x[i, 0] - mx) * (x[i, 1] - my) / 600;
            vyy += (x[i, 1] - my) * (x[i, 1] - my) / 600;
        }

        var distinct = new HashSet<int>();
        for (int j = 0; j < 3; j++)
        {
            int sample = Enumerable.Range(0, 600).MinBy(i => Math.Abs(x[i, 0] - means[j, 0]) + Math.Abs(x[i, 1] - means[j, 1]));
            Assert.Equal(x[sample, 0], means[j, 0], 1e-4);
            Assert.Equal(x[sample, 1], means[j, 1], 1e-4);
            distinct.Add(sample);
            Assert.Equal(1.0 / 3, initial.Weights[j], 1e-12);
            double[] sigma = initial.Covariance(j);
            Assert.Equal(vxx, sigma[0], 1e-3);
            Assert.Equal(vxy, sigma[1], 1e-3);
            Assert.Equal(vyy, sigma[3], 1e-3);
        }

        Assert.Equal(3, distinct.Count);
        Assert.True(model.Converged);
        Assert.True(model.Steps[^1].LogLikelihood > initial.LogLikelihood + 0.1);
    }

    [Fact]
    public void RecoversAKnownMixture()
    {
        Tensor x = KnownMixture(6000, 2, out _);
        var model = new GaussianMixtureOptions { Components = 3, Seed = 1 }.Fit(x);
        Assert.True(model.Converged);
        using Tensor means = model.Means;
        double[] covariances = model.Covariances;
        for (int truth = 0; truth < 3; truth++)
        {
            int j = Enumerable.Range(0, 3).MinBy(j => Math.Pow(means[j, 0] - s_trueMeans[truth][0], 2) + Math.Pow(means[j, 1] - s_trueMeans[truth][1], 2));
            Assert.Equal(s_trueWeights[truth], model.Weights[j], 0.03);
            Assert.Equal(s_trueMeans[truth][0], means[j, 0], 0.1);
            Assert.Equal(s_trueMeans[truth][1], means[j, 1], 0.1);
            for (int e = 0; e < 4; e++)
            {
                Assert.Equal(s_trueCovariances[truth][e], covariances[(j * 4) + e], 0.15);
            }
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public void ScoresMatchTheNaiveDensity(CovarianceType type)
    {
        Tensor x = KnownMixture(600, 3, out _);
        var model = new GaussianMixtureOptions { Components = 3, CovarianceType = type, Seed = 2 }.Fit(x);
        Tensor queries = KnownMixture(40, 5, out _);
        double[] scores = model.ScoreSamples(queries);
        using Tensor probabilities = model.PredictProba(queries);
        int[] labels = model.Predict(queries);
        using Tensor means = model.Means;
        double[] cov = model.Covariances;
        for (int i = 0; i < queries.Rows; i++)
        {
            var joint = new double[3];
            for (int j = 0; j < 3; j++)
            {
                Matrix<double> sigma = type switch
                {
                    CovarianceType.Full => Matrix<double>.Build.Dense(2, 2, cov[(j * 4)..((j * 4) + 4)]),
                    CovarianceType.Tied => Matrix<double>.Build.Dense(2, 2, cov),
                    CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalArray([cov[j * 2], cov[(j * 2) + 1]]),
                    _ => Matrix<double>.Build.DenseOfDiagonalArray([cov[j], cov[j]]),
                };
                var diff = Vector<double>.Build.DenseOfArray([queries[i, 0] - means[j, 0], queries[i, 1] - means[j, 1]]);
                double quadratic = diff * (sigma.Inverse() * diff);
                joint[j] = model.Weights[j] * Math.Exp(-0.5 * quadratic) / (2 * Math.PI * Math.Sqrt(sigma.Determinant()));
            }

            Assert.Equal(Math.Log(joint.Sum()), scores[i], 1e-4);
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(joint[j] / joint.Sum(), probabilities[i, j], 1e-4);
            }

            Assert.Equal(Array.IndexOf(joint, joint.Max()), labels[i]);
        }

        double logLikelihood = scores.Sum();
        Assert.Equal((-2 * logLikelihood) + (model.ParameterCount * Math.Log(40)), model.Bic(queries), 1e-6 * Math.Abs(logLikelihood));
        Assert.Equal((-2 * logLikelihood) + (2 * model.ParameterCount), model.Aic(queries), 1e-6 * Math.Abs(logLikelihood));
        int expectedParameters = type switch { CovarianceType.Full => 9, CovarianceType.Diagonal => 6, CovarianceType.Spherical => 3, _ => 3 } + 6 + 2;
        Assert.Equal(expectedParameters, model.ParameterCount);
    }

    [Fact]
    public void SamplesFollowTheModel()
    {
        Tensor x = KnownMixture(3000, 6, out _);
        var model = new GaussianMixtureOptions { Components = 3, Seed = 3 }.Fit(x);
        (Tensor samples, int[] components) = model.Sample(20000, 7);
        using Tensor means = model.Means;
        double[] cov = model.Covariances;
        for (int j = 0; j < 3; j++)
        {
            int[] rows = Enumerable.Range(0, samples.Rows).Where(i => components[i] == j).ToArray();
            Assert.Equal(model.Weights[j], rows.Length / 20000.0, 0.015);
            double m0 = rows.Average(i => samples[i, 0]), m1 = rows.Average(i => samples[i, 1]);
            Assert.Equal(means[j, 0], m0, 0.06);
            Assert.Equal(means[j, 1], m1, 0.06);
            double c01 = rows.Average(i => (samples[i, 0] - m0) * (samples[i, 1] - m1));
            Assert.Equal(cov[(j * 4) + 1], c01, 0.08);
        }
    }

    [Fact]
    public void ClearErrors()
    {
        var x = Tensor.Zeros(4, 2);
        Assert.Contains("5 components", Assert.Throws<ArgumentException>(() => new GaussianMixtureOptions { Components = 5 }.Fit(x)).Message);
        Assert.Contains("not positive definite", Assert.Throws<ArgumentException>(() => new GaussianMixtureOptions { Components = 1, RegCovar = 0 }.Fit(x)).Message);
        x[3, 1] = float.NaN;
        Assert.Contains("row 3, column 1", Assert.Throws<ArgumentException>(() => new GaussianMixtureOptions().Fit(x)).Message);
    }

    private static Tensor KnownMixture(int n, ulong seed, out int[] labels)
    {
        var rng = new Rng(seed);
        var x = Tensor.Zeros(n, 2);
        labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            int j = u < s_trueWeights[0] ? 0 : u < s_trueWeights[0] + s_trueWeights[1] ? 1 : 2;
            labels[i] = j;
            double[] c = s_trueCovariances[j];
            double l00 = Math.Sqrt(c[0]), l10 = c[2] / l00, l11 = Math.Sqrt(c[3] - (l10 * l10));
            double z0 = rng.NextGaussian(), z1 = rng.NextGaussian();
            x[i, 0] = (float)(s_trueMeans[j][0] + (l00 * z0));
            x[i, 1] = (float)(s_trueMeans[j][1] + (l10 * z0) + (l11 * z1));
        }

        return x;
    }
}
