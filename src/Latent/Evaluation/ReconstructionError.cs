using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>Per-item reconstruction errors of an autoencoder at the encoding code.</summary>
/// <param name="SquaredError">‖x − x̂‖² per item, x̂ the mean of p(x | z) at the encoding code.</param>
/// <param name="NegativeLogLikelihood">−log p(x | z) per item at the encoding code, in nats.</param>
public sealed record ReconstructionError(double[] SquaredError, double[] NegativeLogLikelihood)
{
    /// <summary>The mean of <see cref="SquaredError"/>.</summary>
    public double MeanSquaredError => SquaredError.Length == 0 ? 0 : SquaredError.Average();

    /// <summary>The mean of <see cref="NegativeLogLikelihood"/>.</summary>
    public double MeanNegativeLogLikelihood => NegativeLogLikelihood.Length == 0 ? 0 : NegativeLogLikelihood.Average();

    /// <summary>Measures <paramref name="model"/> on every row of <paramref name="data"/> [n, inputs].</summary>
    public static ReconstructionError Measure(Autoencoder model, Tensor data, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Measure(model, new TensorSource(data), batchSize);
    }

    /// <summary>Measures <paramref name="model"/> on every item of <paramref name="data"/>, read in order through a <see cref="Batcher"/>.</summary>
    public static ReconstructionError Measure(Autoencoder model, IFeatureSource data, int batchSize = 1024) =>
        Measure(model, data, null, batchSize);

    /// <summary>
    /// Measures a variational <paramref name="model"/> on every item of <paramref name="data"/> at one draw
    /// z ~ q(z | x) per item (from <paramref name="rng"/>) instead of the encoding code: the reconstruction term
    /// of the ELBO, whose mean squared error per dimension is the σ² a learned Gaussian likelihood settles at.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    public static ReconstructionError MeasureSampled(Autoencoder model, IFeatureSource data, Rng rng, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rng);
        if (model.Bottleneck is not GaussianBottleneck)
        {
            throw new InvalidOperationException($"Reconstruction at posterior draws needs a variational model; this one is '{model.Options.Preset}'.");
        }

        return Measure(model, data, rng, batchSize);
    }

    private static ReconstructionError Measure(Autoencoder model, IFeatureSource data, Rng? posterior, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Dimension != model.Inputs)
        {
            throw new ArgumentException($"The data ('{data.Name}') have {data.Dimension} columns; the model expects {model.Inputs}.", nameof(data));
        }

        int inputs = model.Inputs;
        var squared = new double[data.Count];
        var nll = new double[data.Count];
        bool training = model.Training;
        model.Eval();
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(batchSize), pool: tape.Pool);
        try
        {
            foreach (var item in batcher.NextEpoch())
            {
                int start = item.Offset, rows = item.Size;
                var batch = item.Features;
                var x = tape.Input(batch);
                Var code;
                if (posterior is not null)
                {
                    (Var mu, Var logVariance) = ((GaussianBottleneck)model.Bottleneck).Posterior(model.FeaturesVar(x));
                    code = Ops.Reparameterize(mu, logVariance, posterior);
                }
                else
                {
                    code = model.EncodeVar(x);
                }

                var output = model.DecoderOutputVar(code);
                var mean = model.Likelihood.Forward(output).Value.Span;
                var terms = model.Likelihood.NegativeLogLikelihood(output, x).Value.Span;
                for (int i = 0; i < rows; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < inputs; j++)
                    {
                        double d = batch.Span[(i * inputs) + j] - mean[(i * inputs) + j];
                        sum += d * d;
                    }

                    squared[start + i] = sum;
                    nll[start + i] = terms[i];
                }

                tape.Reset();
            }
        }
        finally
        {
            model.Train(training);
        }

        return new ReconstructionError(squared, nll);
    }
}
