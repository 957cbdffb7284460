using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Evaluation;

/// <summary>
/// The importance-sampled log-likelihood against a linear Gaussian decoder, whose marginal is closed-form:
/// p(x) = N(x; b, WWᵀ + σ²I). With orthogonal columns of W the exact posterior is diagonal, so an encoder set
/// to it makes every importance weight equal p(x).
/// </summary>
public sealed class ImportanceSamplingTests
{
    private const float Sigma = 0.5f;
    private static readonly double[,] s_w = { { 0.8, 0 }, { 0.8, 0 }, { 0, 0.6 }, { 0, -0.6 }, { 0, 0.3 } };
    private static readonly double[] s_b = [0.1, -0.2, 0.3, 0, 0.5];

    [Fact]
    public void ExactPosteriorGivesTheClosedFormForEveryItemAndChunking()
    {
        var model = LinearGaussian(meanShift: 0, logVarianceShift: 0);
        var data = Draw(12, 5);
        var exact = ClosedForm(data);
        foreach (int maxRows in new[] { 3, 16, 8192 })
        {
            var estimate = ImportanceSampling.LogLikelihood(model, data, 10, new Rng(1), maxRows);
            for (int i = 0; i < data.Rows; i++)
            {
                Assert.Equal(exact[i], estimate[i], 3);
            }
        }
    }

    [Fact]
    public void ApproximatePosteriorConvergesAndBoundsTheElbo()
    {
        var model = LinearGaussian(meanShift: 0.4f, logVarianceShift: 0.7f);
        var data = Draw(20, 6);
        double exact = ClosedForm(data).Average();
        double estimate = ImportanceSampling.LogLikelihood(model, data, ImportanceSampling.DefaultSamples, new Rng(2)).Average();
        double single = ImportanceSampling.LogLikelihood(model, data, 1, new Rng(3)).Average();
        var terms = model.Evaluate(data, new Rng(4));
        double elbo = -(terms.Reconstruction + terms.Kl);

        Assert.Equal(exact, estimate, 0.02);
        Assert.True(elbo < estimate - 0.05, $"ELBO {elbo} should lie below the k=5000 estimate {estimate}.");
        Assert.True(single < estimate, $"k=1 {single} should lie below k=5000 {estimate}.");
    }

    [Fact]
    public void StreamedLogSumExpMatchesTheDirectSum()
    {
        double[] values = [-1000.5, -999.25, -1001, -998, -1003.75];
        var accumulator = default(LogSumExpAccumulator);
        foreach (double v in values)
        {
            accumulator.Add(v);
        }

        double max = values.Max();
        double direct = max + Math.Log(values.Sum(v => Math.Exp(v - max)));
        Assert.Equal(direct, accumulator.Value, 12);
        Assert.Equal(double.NegativeInfinity, default(LogSumExpAccumulator).Value);
    }

    [Fact]
    public void DeterministicModelIsRejected()
    {
        var model = new Autoencoder(Presets.Defaults("ae", 5) with { Hidden = [], Latent = 2 });
        var error = Assert.Throws<InvalidOperationException>(() => ImportanceSampling.LogLikelihood(model, Tensor.Zeros(1, 5), 1, new Rng(0)));
        Assert.Contains("variational", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The linear Gaussian model with the exact posterior's encoder, shifted by the given amounts.</summary>
    internal static Autoencoder LinearGaussian(float meanShift, float logVarianceShift)
    {
        var options = Presets.Defaults("vae", 5) with { Hidden = [], Latent = 2, Likelihood = LikelihoodKind.Gaussian, Sigma = Sigma };
        var model = new Autoencoder(options);
        var state = model.StateDict();
        var decoderWeight = state.Single(p => p.Key.StartsWith("decoder.", StringComparison.Ordinal) && p.Key.EndsWith("weight", StringComparison.Ordinal)).Value;
        var decoderBias = state.Single(p => p.Key.StartsWith("decoder.", StringComparison.Ordinal) && p.Key.EndsWith("bias", StringComparison.Ordinal)).Value;
        double s2 = Sigma * Sigma;
        for (int i = 0; i < 5; i++)
        {
            decoderBias[i] = (float)s_b[i];
            for (int j = 0; j < 2; j++)
            {
                decoderWeight[i, j] = (float)s_w[i, j];
            }
        }

        // Σ = (I + WᵀW/σ²)⁻¹ (diagonal here), μ(x) = Σ Wᵀ (x − b) / σ².
        for (int j = 0; j < 2; j++)
        {
            double norm = 0;
            for (int i = 0; i < 5; i++)
            {
                norm += s_w[i, j] * s_w[i, j];
            }

            double variance = 1 / (1 + (norm / s2));
            double bias = 0;
            for (int i = 0; i < 5; i++)
            {
                double m = variance * s_w[i, j] / s2;
                state["bottleneck.mean.weight"][j, i] = (float)m;
                state["bottleneck.log_var.weight"][j, i] = 0;
                bias -= m * s_b[i];
            }

            state["bottleneck.mean.bias"][j] = (float)bias + meanShift;
            state["bottleneck.log_var.bias"][j] = (float)Math.Log(variance) + logVarianceShift;
        }

        return model;
    }

    /// <summary>Items drawn from the model: x = Wz + b + σε.</summary>
    internal static Tensor Draw(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var data = Tensor.Zeros(count, 5);
        for (int n = 0; n < count; n++)
        {
            double z0 = rng.NextGaussian(), z1 = rng.NextGaussian();
            for (int i = 0; i < 5; i++)
            {
                data[n, i] = (float)((s_w[i, 0] * z0) + (s_w[i, 1] * z1) + s_b[i] + (Sigma * rng.NextGaussian()));
            }
        }

        return data;
    }

    private static double[] ClosedForm(Tensor data)
    {
        var w = Matrix<double>.Build.DenseOfArray(s_w);
        var covariance = (w * w.Transpose()) + (Matrix<double>.Build.DenseIdentity(5) * (Sigma * Sigma));
        var cholesky = covariance.Cholesky();
        double logDet = cholesky.DeterminantLn;
        var result = new double[data.Rows];
        for (int n = 0; n < data.Rows; n++)
        {
            var d = Vector<double>.Build.Dense(5, i => data[n, i] - s_b[i]);
            double quadratic = d.DotProduct(cholesky.Solve(d));
            result[n] = -0.5 * ((5 * Math.Log(2 * Math.PI)) + logDet + quadratic);
        }

        return result;
    }
}
