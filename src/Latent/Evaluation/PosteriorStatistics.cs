using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// How a variational model uses its latent dimensions: the mean KL per dimension and the active units.
/// </summary>
/// <param name="KlPerDimension">Mean over items of KL(q(zⱼ | x) ‖ N(0, 1)) for each dimension j, in nats.</param>
/// <param name="MeanVariance">Cov over items of E_q[zⱼ] = μⱼ(x), for each dimension j.</param>
/// <param name="Threshold">The activity threshold on <see cref="MeanVariance"/>.</param>
/// <remarks>
/// KL(q(zⱼ | x) ‖ N(0, 1)) = ½(μⱼ² + σⱼ² − 1 − log σⱼ²). A unit is active when Cov_x(E_q[zⱼ]) exceeds the
/// threshold (0.01 in Burda et al. 2016): its code moves with the input instead of collapsing onto the prior.
/// </remarks>
public sealed record PosteriorStatistics(double[] KlPerDimension, double[] MeanVariance, double Threshold)
{
    /// <summary>Burda et al.'s activity threshold.</summary>
    public const double DefaultThreshold = 0.01;

    /// <summary>The number of active units.</summary>
    public int ActiveUnits => MeanVariance.Count(v => v > Threshold);

    /// <summary>The total KL (sum over dimensions).</summary>
    public double TotalKl => KlPerDimension.Sum();

    /// <summary>The dimensions ordered by decreasing KL.</summary>
    public int[] DimensionsByKl() => Enumerable.Range(0, KlPerDimension.Length).OrderByDescending(j => KlPerDimension[j]).ToArray();

    /// <summary>Measures the posterior of <paramref name="model"/> over the rows of <paramref name="data"/>.</summary>
    public static PosteriorStatistics Measure(Autoencoder model, Tensor data, double threshold = DefaultThreshold, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Measure(model, new TensorSource(data), threshold, batchSize);
    }

    /// <summary>Measures the posterior of <paramref name="model"/> over the items of <paramref name="data"/>, read in order through a <see cref="Batcher"/>.</summary>
    public static PosteriorStatistics Measure(Autoencoder model, IFeatureSource data, double threshold = DefaultThreshold, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var gaussian = model.Bottleneck as GaussianBottleneck
            ?? throw new InvalidOperationException($"KL per dimension needs a variational model; this one is '{model.Options.Preset}'.");
        if (data.Dimension != model.Inputs)
        {
            throw new ArgumentException($"The data ('{data.Name}') have {data.Dimension} columns; the model expects {model.Inputs}.", nameof(data));
        }

        int latent = model.Latent;
        var kl = new double[latent];
        var sum = new double[latent];
        var sumSquares = new double[latent];
        bool training = model.Training;
        model.Eval();
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(batchSize), pool: tape.Pool);
        try
        {
            foreach (var batch in batcher.NextEpoch())
            {
                int rows = batch.Size;
                (Var mean, Var logVariance) = gaussian.Posterior(model.FeaturesVar(tape.Input(batch.Features)));
                var mu = mean.Value.Span;
                var lv = logVariance.Value.Span;
                for (int i = 0; i < rows * latent; i++)
                {
                    int j = i % latent;
                    double m = mu[i];
                    kl[j] += 0.5 * ((m * m) + Math.Exp(lv[i]) - 1 - lv[i]);
                    sum[j] += m;
                    sumSquares[j] += m * m;
                }

                tape.Reset();
            }
        }
        finally
        {
            model.Train(training);
        }

        int n = Math.Max(1, data.Count);
        var variance = new double[latent];
        for (int j = 0; j < latent; j++)
        {
            kl[j] /= n;
            double average = sum[j] / n;
            variance[j] = Math.Max(0, (sumSquares[j] / n) - (average * average));
        }

        return new PosteriorStatistics(kl, variance, threshold);
    }
}
