using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// The importance-sampled estimate of log p(x) for a variational autoencoder (the IWAE estimator of Burda et
/// al. 2016), batched over items and streamed over samples.
/// </summary>
/// <remarks>
/// log p̂(x) = log (1/k) Σₛ p(x | zₛ) p(zₛ) / q(zₛ | x), zₛ ~ q(z | x). Its expectation is a lower bound on
/// log p(x) that rises with k to log p(x); k = 1 is the ELBO. The log-weights are accumulated per item with a
/// streamed log-sum-exp in double, so k can be far larger than fits in memory at once.
/// </remarks>
public static class ImportanceSampling
{
    /// <summary>The number of samples used for reported numbers.</summary>
    public const int DefaultSamples = 5000;

    private const double Log2Pi = 1.8378770664093453;

    /// <summary>
    /// The estimate of log p(x) in nats for each row of <paramref name="data"/> [n, inputs], with
    /// <paramref name="samples"/> draws from q(z | x) per item, decoding at most <paramref name="maxRows"/> codes at once.
    /// </summary>
    public static double[] LogLikelihood(Autoencoder model, Tensor data, int samples, Rng rng, int maxRows = 8192, Action<int>? itemsDone = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return LogLikelihood(model, new TensorSource(data), samples, rng, maxRows, itemsDone);
    }

    /// <summary>
    /// The estimate of log p(x) in nats for each item of <paramref name="data"/>, read in order through a
    /// <see cref="Batcher"/>, with <paramref name="samples"/> draws from q(z | x) per item, decoding at most
    /// <paramref name="maxRows"/> codes at once.
    /// </summary>
    public static double[] LogLikelihood(Autoencoder model, IFeatureSource data, int samples, Rng rng, int maxRows = 8192, Action<int>? itemsDone = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var gaussian = model.Bottleneck as GaussianBottleneck
            ?? throw new InvalidOperationException($"The importance-sampled likelihood needs a variational model; this one is '{model.Options.Preset}'.");
        if (data.Dimension != model.Inputs)
        {
            throw new ArgumentException($"The data ('{data.Name}') have {data.Dimension} columns; the model expects {model.Inputs}.", nameof(data));
        }

        int inputs = model.Inputs, latent = model.Latent;
        int samplesPerChunk = Math.Min(samples, maxRows);
        int itemsPerChunk = Math.Max(1, maxRows / samplesPerChunk);
        var result = new double[data.Count];
        bool training = model.Training;
        model.Eval();
        using var tape = new Tape { GradEnabled = false };
        var mean = new float[itemsPerChunk * latent];
        var logVariance = new float[itemsPerChunk * latent];
        var logWeight = new double[itemsPerChunk * samplesPerChunk];
        var accumulators = new LogSumExpAccumulator[itemsPerChunk];
        using var batcher = new Batcher(data, BatchOptions.Sequential(itemsPerChunk), pool: tape.Pool);
        try
        {
            foreach (var batch in batcher.NextEpoch())
            {
                int first = batch.Offset, items = batch.Size;
                ReadOnlySpan<float> x = batch.Features.Span;
                (Var posteriorMean, Var posteriorLogVariance) = gaussian.Posterior(model.FeaturesVar(tape.Input(batch.Features)));
                posteriorMean.Value.Span.CopyTo(mean);
                posteriorLogVariance.Value.Span.CopyTo(logVariance);
                tape.Reset();

                Array.Clear(accumulators);
                for (int done = 0; done < samples; done += samplesPerChunk)
                {
                    int count = Math.Min(samplesPerChunk, samples - done);
                    int rows = items * count;
                    using var codes = tape.Pool.Rent(rows, latent);
                    using var targets = tape.Pool.Rent(rows, inputs);
                    var z = codes.Span;
                    rng.FillNormal(z);
                    for (int i = 0; i < items; i++)
                    {
                        var mu = mean.AsSpan(i * latent, latent);
                        var lv = logVariance.AsSpan(i * latent, latent);
                        for (int s = 0; s < count; s++)
                        {
                            int row = (i * count) + s;
                            var code = z.Slice(row * latent, latent);
                            double logQ = 0, logP = 0;
                            for (int j = 0; j < latent; j++)
                            {
                                double epsilon = code[j];
                                float value = mu[j] + (MathF.Exp(0.5f * lv[j]) * code[j]);
                                code[j] = value;

                                // log q(z | x) = −½ Σ (ε² + log σ² + log 2π); log p(z) = −½ Σ (z² + log 2π).
                                logQ -= 0.5 * ((epsilon * epsilon) + lv[j] + Log2Pi);
                                logP -= 0.5 * (((double)value * value) + Log2Pi);
                            }

                            logWeight[row] = logP - logQ;
                            x.Slice(i * inputs, inputs).CopyTo(targets.Span.Slice(row * inputs, inputs));
                        }
                    }

                    var nll = model.Likelihood.NegativeLogLikelihood(model.DecoderOutputVar(tape.Input(codes)), tape.Input(targets)).Value.Span;
                    for (int i = 0; i < items; i++)
                    {
                        for (int s = 0; s < count; s++)
                        {
                            int row = (i * count) + s;
                            accumulators[i].Add(logWeight[row] - nll[row]);
                        }
                    }

                    tape.Reset();
                }

                for (int i = 0; i < items; i++)
                {
                    result[first + i] = accumulators[i].Value - Math.Log(samples);
                }

                itemsDone?.Invoke(first + items);
            }
        }
        finally
        {
            model.Train(training);
        }

        return result;
    }
}
