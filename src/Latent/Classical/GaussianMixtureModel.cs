using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>A fitted Gaussian mixture (immutable); made by <see cref="GaussianMixture.Fit(Tensor, GaussianMixtureOptions)"/>.</summary>
/// <remarks>
/// p(x) = Σⱼ wⱼ·N(x | μⱼ, Σⱼ). ScoreSamples gives ln p(xᵢ), Score their mean, PredictProba the posteriors
/// p(j | xᵢ), Predict their argmax. BIC = −2·ln L + P·ln n and AIC = −2·ln L + 2P, with ln L = Σᵢ ln p(xᵢ)
/// and P the number of free parameters.
/// </remarks>
public sealed class GaussianMixtureModel
{
    private readonly MixtureDensity _density;
    private readonly double[] _history;
    private readonly GaussianMixtureStep[] _steps;

    internal GaussianMixtureModel(GaussianMixtureOptions options, MixtureDensity density, double lowerBound, double[] history, bool converged, int samples, TimeSpan fitTime, GaussianMixtureStep[]? steps = null)
    {
        _steps = steps ?? [];
        Options = options;
        _density = density;
        LowerBound = lowerBound;
        _history = history;
        Converged = converged;
        Samples = samples;
        FitTime = fitTime;
    }

    /// <summary>The settings the model was fitted with.</summary>
    public GaussianMixtureOptions Options { get; }

    /// <summary>The parameters as the model evaluates them: means relative to the offset, in double (read by the ONNX export).</summary>
    internal MixtureDensity Density => _density;

    /// <summary>Number of components k.</summary>
    public int Components => _density.Components;

    /// <summary>Number of features d.</summary>
    public int Features => _density.Features;

    /// <summary>The form of the covariances.</summary>
    public CovarianceType CovarianceType => _density.Type;

    /// <summary>Number of samples fitted.</summary>
    public int Samples { get; }

    /// <summary>Time the fit took, all restarts included.</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The mean log-likelihood per sample at the last E-step of the best initialisation.</summary>
    public double LowerBound { get; }

    /// <summary>The mean log-likelihood per sample at every E-step of the best initialisation.</summary>
    public IReadOnlyList<double> History => _history;

    /// <summary>
    /// The parameters at every step of EM of the best initialisation, when <see cref="GaussianMixtureOptions.RecordHistory"/>
    /// was set (otherwise empty): <see cref="Iterations"/> + 1 steps, the first the initial parameters, the last the
    /// model's own; step i's log-likelihood is <see cref="History"/>[i] for i &lt; <see cref="Iterations"/>.
    /// </summary>
    public IReadOnlyList<GaussianMixtureStep> Steps => _steps;

    /// <summary>EM iterations of the best initialisation.</summary>
    public int Iterations => _history.Length;

    /// <summary>Whether the best initialisation met the tolerance before the iteration cap.</summary>
    public bool Converged { get; }

    /// <summary>The mixing weights wⱼ.</summary>
    public IReadOnlyList<double> Weights => _density.Weights;

    /// <summary>The means μⱼ as a [k, d] tensor (a copy).</summary>
    public Tensor Means
    {
        get
        {
            var means = Tensor.Zeros(Components, Features);
            for (int j = 0; j < Components; j++)
            {
                for (int c = 0; c < Features; c++)
                {
                    means[j, c] = (float)(_density.Means[(j * Features) + c] + _density.Offset[c]);
                }
            }

            return means;
        }
    }

    /// <summary>
    /// The covariances in double (a copy): [k, d, d] for full, [k, d] for diagonal, [k] for spherical, [d, d] for tied.
    /// </summary>
    public double[] Covariances => (double[])_density.Covariances.Clone();

    /// <summary>Number of free parameters: covariance terms, k·d means and k − 1 weights.</summary>
    public int ParameterCount
    {
        get
        {
            int k = Components, d = Features;
            int covariance = CovarianceType switch
            {
                CovarianceType.Full => k * d * (d + 1) / 2,
                CovarianceType.Diagonal => k * d,
                CovarianceType.Spherical => k,
                _ => d * (d + 1) / 2,
            };
            return covariance + (k * d) + k - 1;
        }
    }

    /// <summary>Saves the model (not its <see cref="Steps"/>) to one .safetensors file (see <see cref="ClassicalModelFile"/>).</summary>
    public void Save(string path)
    {
        int k = Components, d = Features;
        int[] shape = CovarianceShape(CovarianceType, k, d);
        ClassicalModelFile.Write(
            path,
            "gmm",
            Options,
            new()
            {
                ["weights"] = ClassicalModelFile.Vector(_density.Weights),
                ["means"] = ClassicalModelFile.Matrix(_density.Means, k, d),
                ["covariances"] = Tensor.FromArray(DenseMath.ToFloat(_density.Covariances), shape),
                ["offset"] = Tensor.FromArray((float[])_density.Offset.Clone(), d),
                ["history"] = ClassicalModelFile.Vector(_history),
            },
            new() { ["lower_bound"] = LowerBound, ["converged"] = Converged ? 1 : 0, ["samples"] = Samples, ["fit_seconds"] = FitTime.TotalSeconds });
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; the covariances are checked to be positive definite.</summary>
    public static GaussianMixtureModel Load(string path)
    {
        var file = ClassicalModelFile.Read(path, "gmm", out GaussianMixtureOptions options);
        int k = file.Size("means", 0), d = file.Size("means", 1);
        double[] weights = file.Tensor("weights", k);
        double weightSum = weights.Sum();
        for (int j = 0; j < k; j++)
        {
            weights[j] /= weightSum;
        }

        var density = new MixtureDensity(
            options.CovarianceType, k, d, weights, file.Tensor("means", k, d), file.Tensor("covariances", CovarianceShape(options.CovarianceType, k, d)), DenseMath.ToFloat(file.Tensor("offset", d)));
        return new GaussianMixtureModel(options, density, file.Number("lower_bound"), file.Tensor("history", -1), file.Number("converged") != 0, (int)file.Number("samples"), TimeSpan.FromSeconds(file.Number("fit_seconds")));
    }

    private static int[] CovarianceShape(CovarianceType type, int k, int d) => type switch
    {
        CovarianceType.Full => [k, d, d],
        CovarianceType.Diagonal => [k, d],
        CovarianceType.Spherical => [k],
        _ => [d, d],
    };

    /// <summary>ln p(xᵢ) for every row of <paramref name="data"/>.</summary>
    public double[] ScoreSamples(Tensor data) => Evaluate(data, null);

    /// <summary>The mean of <see cref="ScoreSamples(Tensor)"/>.</summary>
    public double Score(Tensor data) => ScoreSamples(data).Average();

    /// <summary>The posterior probability of every component for every row: [n, k].</summary>
    public Tensor PredictProba(Tensor data)
    {
        var probabilities = Tensor.Zeros(data?.Rows ?? 0, Components);
        Evaluate(data!, probabilities.Buffer);
        return probabilities;
    }

    /// <summary>The most probable component of every row.</summary>
    public int[] Predict(Tensor data)
    {
        using Tensor probabilities = PredictProba(data);
        var labels = new int[probabilities.Rows];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = TensorPrimitives.IndexOfMax<float>(probabilities.Row(i));
        }

        return labels;
    }

    /// <summary>The Bayesian information criterion on <paramref name="data"/>: −2·Σᵢ ln p(xᵢ) + P·ln n.</summary>
    public double Bic(Tensor data) => (-2 * Score(data) * data.Rows) + (ParameterCount * Math.Log(data.Rows));

    /// <summary>The Akaike information criterion on <paramref name="data"/>: −2·Σᵢ ln p(xᵢ) + 2P.</summary>
    public double Aic(Tensor data) => (-2 * Score(data) * data.Rows) + (2.0 * ParameterCount);

    /// <summary>
    /// ln p(xᵢ) for every item of <paramref name="data"/>, in memory or read block by block (a memory-mapped file
    /// is never loaded whole): bitwise the values of <see cref="ScoreSamples(Tensor)"/> on the same items.
    /// </summary>
    /// <exception cref="ArgumentException">The data is empty, holds NaN or ±∞, or has another number of features.</exception>
    public double[] ScoreSamples(IFeatureSource data) => Evaluate(CheckSource(data), null);

    /// <summary>The mean of <see cref="ScoreSamples(IFeatureSource)"/>.</summary>
    public double Score(IFeatureSource data) => ScoreSamples(data).Average();

    /// <summary>The Bayesian information criterion on the items of <paramref name="data"/> (read as <see cref="ScoreSamples(IFeatureSource)"/>).</summary>
    public double Bic(IFeatureSource data) => (-2 * Score(data) * data.Count) + (ParameterCount * Math.Log(data.Count));

    /// <summary>The Akaike information criterion on the items of <paramref name="data"/> (read as <see cref="ScoreSamples(IFeatureSource)"/>).</summary>
    public double Aic(IFeatureSource data) => (-2 * Score(data) * data.Count) + (2.0 * ParameterCount);

    /// <summary>
    /// Draws <paramref name="count"/> samples: component counts from the weights, then each component's samples
    /// μⱼ + Lⱼ·z (Σⱼ = Lⱼ·Lⱼᵀ, z standard normal), grouped by component.
    /// </summary>
    public (Tensor Samples, int[] Components) Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int k = Components, d = Features;
        var rng = new Rng(seed);
        var perComponent = new int[k];
        for (int s = 0; s < count; s++)
        {
            double u = rng.NextDouble(), cumulative = 0;
            int j = 0;
            while (j < k - 1 && u >= (cumulative += _density.Weights[j]))
            {
                j++;
            }

            perComponent[j]++;
        }

        var samples = Tensor.Zeros(count, d);
        var labels = new int[count];
        var z = new double[d];
        int row = 0;
        double[] cov = _density.Covariances;
        double[]? tied = CovarianceType == CovarianceType.Tied ? DenseMath.Cholesky(cov, d) : null;
        for (int j = 0; j < k; j++)
        {
            double[]? factor = CovarianceType switch
            {
                CovarianceType.Full => DenseMath.Cholesky(cov.AsSpan(j * d * d, d * d), d),
                CovarianceType.Tied => tied,
                _ => null,
            };
            for (int s = 0; s < perComponent[j]; s++, row++)
            {
                labels[row] = j;
                for (int c = 0; c < d; c++)
                {
                    z[c] = rng.NextGaussian();
                }

                for (int c = 0; c < d; c++)
                {
                    double value = _density.Means[(j * d) + c] + _density.Offset[c];
                    if (factor is not null)
                    {
                        for (int r = 0; r <= c; r++)
                        {
                            value += factor[(c * d) + r] * z[r];
                        }
                    }
                    else
                    {
                        double variance = CovarianceType == CovarianceType.Diagonal ? cov[(j * d) + c] : cov[j];
                        value += Math.Sqrt(variance) * z[c];
                    }

                    samples[row, c] = (float)value;
                }
            }
        }

        return (samples, labels);
    }

    private double[] Evaluate(Tensor data, float[]? probabilities) =>
        Evaluate(SourceBlocks.Of(data.Buffer, ClassicalInput.CheckMatrix(data, Features, nameof(data)), Features), probabilities);

    private SourceBlocks CheckSource(IFeatureSource data)
    {
        SourceBlocks blocks = ClassicalInput.CheckSource(data, nameof(data));
        if (blocks.Columns != Features)
        {
            throw new ArgumentException($"The data '{data.Name}' has {blocks.Columns} features per sample; the model was fitted on {Features}.", nameof(data));
        }

        return blocks;
    }

    private double[] Evaluate(SourceBlocks data, float[]? probabilities)
    {
        int k = Components;
        var logLikelihood = new double[data.Rows];
        data.ForEach(block =>
        {
            if (!data.InMemory)
            {
                block.CheckFinite("The data", "data");
            }

            RowBlocks.ForEach(block.Count, () => (Scratch: _density.CreateScratch(), Log: new double[RowBlocks.Size * k]), (b, from, to, state) =>
            {
                int count = to - from, start = block.Start + from;
                Span<double> log = state.Log.AsSpan(0, count * k);
                _density.WeightedLogProbabilities(block.Array, (block.Offset / Features) + from, count, log, state.Scratch);
                for (int i = 0; i < count; i++)
                {
                    Span<double> row = log.Slice(i * k, k);
                    logLikelihood[start + i] = MixtureDensity.Normalize(row);
                    if (probabilities is not null)
                    {
                        TensorPrimitives.ConvertChecked<double, float>(row, probabilities.AsSpan((start + i) * k, k));
                    }
                }
            });
        });
        return logLikelihood;
    }
}
