using Latent.Classical;
using Latent.Onnx;
using Latent.Tensors;
using Xunit.Abstractions;

namespace Latent.Tests.Onnx;

/// <summary>
/// The classical models' transforms and predictions, fitted on real data (the UCI digits), exported and run in ONNX
/// Runtime against the models' own Transform, Predict, PredictProba and ScoreSamples, batches of 1 and 1000.
/// </summary>
public sealed class ClassicalOnnxTests(ITestOutputHelper output)
{
    private static Tensor Digits => OnnxRunner.Digits.Features;

    [Theory]
    [InlineData(false, PcaSolver.Full)]
    [InlineData(true, PcaSolver.Full)]
    [InlineData(false, PcaSolver.Randomized)]
    public void Pca_transform(bool whiten, PcaSolver solver)
    {
        var model = new PcaOptions { Components = 12, Whiten = whiten, Solver = solver, Seed = 1 }.Fit(Digits);
        CheckCodes(OnnxExport.Export(model), model.Transform, $"pca whiten={whiten} {solver}");
    }

    [Fact]
    public void Pca_transform_on_mnist()
    {
        var model = new PcaOptions { Components = 20, Seed = 1 }.Fit(OnnxRunner.Mnist.Features);
        CheckCodes(OnnxExport.Export(model), model.Transform, "pca mnist", OnnxRunner.Mnist.Features);
    }

    [Theory]
    [InlineData(PpcaSolver.ClosedForm)]
    [InlineData(PpcaSolver.Em)]
    public void Probabilistic_pca_transform(PpcaSolver solver)
    {
        var model = new ProbabilisticPcaOptions { Components = 8, Solver = solver, MaxIterations = 50, Seed = 2 }.Fit(Digits);
        CheckCodes(OnnxExport.Export(model), model.Transform, $"ppca {solver}");
    }

    [Fact]
    public void Factor_analysis_transform()
    {
        var model = new FactorAnalysisOptions { Components = 8, Seed = 3 }.Fit(Digits);
        CheckCodes(OnnxExport.Export(model), model.Transform, "fa");
    }

    [Fact]
    public void KMeans_predict_and_distances()
    {
        var model = new KMeansOptions { Clusters = 10, Seed = 4 }.Fit(Digits);
        byte[] onnx = OnnxExport.Export(model);
        foreach (int n in (int[])[1, 1000])
        {
            var x = OnnxRunner.Rows(Digits, n);
            var outputs = OnnxRunner.Run(onnx, x).Outputs;
            Assert.Equal(model.Predict(x).Select(l => (long)l), (long[])outputs["label"]);
            double worst = OnnxRunner.MaxDifference(model.Transform(x).Span, (float[])outputs["distances"]);
            output.WriteLine($"kmeans, batch {n}: labels equal, max |ONNX − Latent| distances = {worst:E2}");
            Assert.True(worst <= 1e-5, $"kmeans distances, batch {n}: {worst:E2}");
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public void Gaussian_mixture_probabilities_log_likelihood_and_labels(CovarianceType type)
    {
        var model = new GaussianMixtureOptions { Components = 5, CovarianceType = type, RegCovar = 1e-3, MaxIterations = 30, Seed = 5 }.Fit(Digits);
        byte[] onnx = OnnxExport.Export(model);
        foreach (int n in (int[])[1, 1000])
        {
            var x = OnnxRunner.Rows(Digits, n);
            var outputs = OnnxRunner.Run(onnx, x).Outputs;
            double probabilities = OnnxRunner.MaxDifference(model.PredictProba(x).Span, (float[])outputs["probabilities"]);
            double[] actual = (double[])outputs["log_likelihood"];
            double[] expected = model.ScoreSamples(x);
            double logLikelihood = OnnxRunner.MaxDifference(expected, actual);
            double scale = expected.Max(Math.Abs);
            double exact = OnnxRunner.MaxDifference(ReferenceLogLikelihood(model, x), actual);
            output.WriteLine($"gmm {type}, batch {n}: max |ONNX − Latent| probabilities = {probabilities:E2}, log-likelihood = {logLikelihood:E2} (|log p| up to {scale:F1}); max |ONNX − double reference| = {exact:E2}");
            Assert.Equal(model.Predict(x).Select(l => (long)l), (long[])outputs["label"]);
            Assert.True(probabilities <= 1e-5, $"gmm {type} probabilities, batch {n}: {probabilities:E2}");

            // The graph computes in double and must equal a plain double evaluation. The model sums its quadratic forms
            // in float32 (a GEMM over 2d = 128 products for diagonal covariances, with cancellation between x²·p and x·μ·p),
            // whose unit in the last place at |log p| ≈ 75 is already 7.6e-6: against Latent the bound is float32's,
            // relative to the size of the log-likelihoods.
            Assert.True(exact <= 1e-9 * Math.Max(1, scale), $"gmm {type} log-likelihood against the double reference, batch {n}: {exact:E2}");
            Assert.True(logLikelihood <= 1e-5 * Math.Max(1, scale), $"gmm {type} log-likelihood, batch {n}: {logLikelihood:E2} at |log p| up to {scale:F1}");
        }
    }

    // ln Σⱼ wⱼ·N(x | μⱼ, Σⱼ) in double through MathNet's Cholesky, for the rows shifted by the model's offset in float
    // as the model shifts them (the model's definition of its input).
    private static double[] ReferenceLogLikelihood(GaussianMixtureModel model, Tensor x)
    {
        var density = model.Density;
        int k = density.Components, d = density.Features;
        var result = new double[x.Rows];
        var choleskies = new MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double>[k];
        for (int j = 0; j < k; j++)
        {
            var covariance = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d, (r, c) => density.Type switch
            {
                CovarianceType.Full => density.Covariances[(j * d * d) + (r * d) + c],
                CovarianceType.Tied => density.Covariances[(r * d) + c],
                CovarianceType.Diagonal => r == c ? density.Covariances[(j * d) + r] : 0,
                _ => r == c ? density.Covariances[j] : 0,
            });
            choleskies[j] = covariance.Cholesky();
        }

        for (int i = 0; i < x.Rows; i++)
        {
            var terms = new double[k];
            for (int j = 0; j < k; j++)
            {
                var difference = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(d, c => (double)(x[i, c] - density.Offset[c]) - density.Means[(j * d) + c]);
                double quadratic = difference.DotProduct(choleskies[j].Solve(difference));
                terms[j] = Math.Log(density.Weights[j]) - (0.5 * ((d * Math.Log(2 * Math.PI)) + choleskies[j].DeterminantLn + quadratic));
            }

            double max = terms.Max();
            result[i] = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
        }

        return result;
    }

    private void CheckCodes(byte[] onnx, Func<Tensor, Tensor> transform, string label, Tensor? data = null)
    {
        data ??= Digits;
        foreach (int n in (int[])[1, 1000])
        {
            var x = OnnxRunner.Rows(data, n);
            double worst = OnnxRunner.MaxDifference(transform(x).Span, (float[])OnnxRunner.Run(onnx, x).Outputs["code"]);
            output.WriteLine($"{label}, batch {n}: max |ONNX − Latent| = {worst:E2}");
            Assert.True(worst <= 1e-5, $"{label}, batch {n}: {worst:E2}");
        }
    }
}
