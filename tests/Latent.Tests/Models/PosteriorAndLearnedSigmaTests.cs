using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Models;

public class PosteriorAndLearnedSigmaTests
{
    [Fact]
    public void EncodePosteriorGivesTheEncodingMeansAndTheirLogVariances()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 40);
        (var mean, var logVariance) = model.EncodePosterior(data);
        Assert.Equal([40, 8], mean.Shape.ToArray());
        Assert.Equal([40, 8], logVariance.Shape.ToArray());
        Assert.Equal(model.Encode(data).Span.ToArray(), mean.Span.ToArray());

        // The log-variances are the bottleneck's own: one reparameterised draw per item has that spread.
        var gaussian = (GaussianBottleneck)model.Bottleneck;
        using var tape = new Latent.Autodiff.Tape { GradEnabled = false };
        (_, var expected) = gaussian.Posterior(model.FeaturesVar(tape.Input(data)));
        Assert.Equal(expected.Value.Span.ToArray(), logVariance.Span.ToArray());
        Assert.Throws<InvalidOperationException>(() => new Autoencoder(ModelTestData.Small("ae")).EncodePosterior(data));
    }

    [Fact]
    public void OneLatentCodesAndOneDimensionalOutputsAreStillMatrices()
    {
        var model = new Autoencoder(Presets.Defaults("vae", 1) with { Latent = 1, Likelihood = LikelihoodKind.Gaussian });
        var points = Synthetic.TwoPoints(6);
        Assert.Equal([6, 1], model.Encode(points).Shape.ToArray());
        Assert.Equal([6, 1], model.Decode(Tensor.Zeros(6, 1)).Shape.ToArray());
        Assert.Equal(6, model.Score(points, new Rng(0)).Length);
    }

    [Fact]
    public void TwoPointsAlternateBetweenMinusOneAndOneInTheCatalog()
    {
        var data = new DatasetCatalog().Load("two-points:n=6");
        Assert.Equal((6, 1), (data.Count, data.Dimension));
        Assert.Equal([-1f, 1f, -1f, 1f, -1f, 1f], data.Features.Span.ToArray());
        Assert.Equal([0, 1, 0, 1, 0, 1], data.Labels!);
        Assert.Same(data.Features, UnitScaling.Apply(data).Features);
        Assert.Equal(200, new DatasetCatalog().Load("two-points").Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.TwoPoints(1));
    }

    [Fact]
    public void SigmaIsTheRootOfTheMeanLearnedVariance()
    {
        var shared = new LearnedGaussianLikelihood(1);
        Assert.Equal(1.0, shared.Sigma, 12);
        shared.LogVariance.Value.Span[0] = MathF.Log(0.04f);
        Assert.Equal(0.2, shared.Sigma, 6);
        var perDimension = new LearnedGaussianLikelihood(2);
        perDimension.LogVariance.Value.Span[0] = MathF.Log(0.02f);
        perDimension.LogVariance.Value.Span[1] = MathF.Log(0.06f);
        Assert.Equal(0.2, perDimension.Sigma, 6);
    }

    [Fact]
    public void TheHistoryRecordsTheLearnedSigmaAndItSettlesAtTheRmsError()
    {
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 1000);
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Likelihood = LikelihoodKind.GaussianLearnedShared }));
        var result = new Trainer(new TrainerOptions { Epochs = 30, BatchSize = 20, LearningRate = 5e-3f, CheckpointEvery = 0 }).Fit(model, data);
        var sigmas = result.History.Epochs.Select(e => e.Sigma!.Value).ToArray();
        Assert.Equal(((LearnedGaussianLikelihood)model.Likelihood).Sigma, sigmas[^1], 12);
        Assert.True(sigmas[^1] < 0.5 * sigmas[0], $"σ went from {sigmas[0]} to {sigmas[^1]}");

        // At the optimum σ² is the mean squared error per dimension of the ELBO's reconstruction (z ~ q(z | x)).
        var evaluation = Evaluator.Evaluate(model, new TensorSource(data), new EvaluationOptions { ImportanceSamples = 0 });
        Assert.Equal(sigmas[^1], evaluation.DecoderSigma!.Value, 12);
        Assert.InRange(sigmas[^1] / evaluation.SampledRmsError!.Value, 0.9, 1.1);

        string[] csv = result.History.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",seconds,sigma", csv[0], StringComparison.Ordinal);
        Assert.Equal(sigmas[^1], double.Parse(csv[^1].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal(sigmas, TrainingHistory.FromJson(result.History.ToJson()).Epochs.Select(e => e.Sigma!.Value));
    }

    [Fact]
    public void OtherLikelihoodsRecordNoSigma()
    {
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 100);
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var result = new Trainer(new TrainerOptions { Epochs = 1, CheckpointEvery = 0 }).Fit(model, data);
        Assert.Null(result.History.Epochs[0].Sigma);
        Assert.EndsWith(",learning_rate,seconds", result.History.ToCsv().Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("sigma", result.History.ToJson(), StringComparison.Ordinal);
        var evaluation = Evaluator.Evaluate(model, new TensorSource(data), new EvaluationOptions { ImportanceSamples = 0 });
        Assert.Null(evaluation.DecoderSigma);
        Assert.NotNull(evaluation.SampledRmsError);
    }

    [Fact]
    public void SampledReconstructionAddsTheDecodedPosteriorSpreadForALinearDecoder()
    {
        // With a linear decoder f(z) = Wz + b, E_q‖x − f(z)‖² = ‖x − f(μ)‖² + Σⱼ σⱼ² ‖W_{:, j}‖².
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Decoder = "", Likelihood = LikelihoodKind.Gaussian }));
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 1500);
        var atMean = ReconstructionError.Measure(model, data);
        var sampled = ReconstructionError.MeasureSampled(model, new TensorSource(data), new Rng(3));
        (_, var logVariance) = model.EncodePosterior(data);
        var weight = model.StateDict()["decoder.0.weight"];
        double spread = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            for (int j = 0; j < model.Latent; j++)
            {
                double column = 0;
                for (int k = 0; k < model.Inputs; k++)
                {
                    column += weight[k, j] * (double)weight[k, j];
                }

                spread += Math.Exp(logVariance[i, j]) * column;
            }
        }

        double expected = atMean.MeanSquaredError + (spread / data.Rows);
        Assert.True(spread / data.Rows > 0.05 * atMean.MeanSquaredError, "the test needs a visible spread");
        Assert.Equal(expected, sampled.MeanSquaredError, expected * 0.03);
        Assert.Throws<InvalidOperationException>(() => ReconstructionError.MeasureSampled(new Autoencoder(ModelTestData.Small("ae")), new TensorSource(data), new Rng(0)));
    }
}
