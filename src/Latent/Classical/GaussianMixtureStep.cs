using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// The parameters of a Gaussian mixture at one step of EM, recorded when
/// <see cref="GaussianMixtureOptions.RecordHistory"/> is set: the weights, means and covariances after
/// <see cref="Iteration"/> M-steps (0: the initial μ⁰, Σ⁰) and their mean log-likelihood.
/// </summary>
public sealed class GaussianMixtureStep
{
    private readonly double[] _weights;
    private readonly double[] _means;
    private readonly double[] _covariances;
    private readonly float[] _offset;

    internal GaussianMixtureStep(int iteration, MixtureDensity density, double logLikelihood)
    {
        Iteration = iteration;
        Type = density.Type;
        Components = density.Components;
        Features = density.Features;
        _weights = (double[])density.Weights.Clone();
        _means = (double[])density.Means.Clone();
        _covariances = (double[])density.Covariances.Clone();
        _offset = density.Offset;
        LogLikelihood = logLikelihood;
    }

    /// <summary>M-steps done before these parameters: 0 for the initial ones.</summary>
    public int Iteration { get; }

    /// <summary>The form of the covariances.</summary>
    public CovarianceType Type { get; }

    /// <summary>Number of components k.</summary>
    public int Components { get; }

    /// <summary>Number of features d.</summary>
    public int Features { get; }

    /// <summary>The mean log-likelihood per sample of the training data under these parameters.</summary>
    public double LogLikelihood { get; }

    /// <summary>The mixing weights wⱼ.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>The means μⱼ as a [k, d] tensor, in the data's coordinates (a copy).</summary>
    public Tensor Means
    {
        get
        {
            var means = Tensor.Zeros(Components, Features);
            for (int j = 0; j < Components; j++)
            {
                for (int c = 0; c < Features; c++)
                {
                    means[j, c] = (float)(_means[(j * Features) + c] + _offset[c]);
                }
            }

            return means;
        }
    }

    /// <summary>The covariance Σⱼ of component <paramref name="component"/> as a full row-major [d, d] matrix, whatever <see cref="Type"/> stores.</summary>
    public double[] Covariance(int component)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(component);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(component, Components);
        int d = Features;
        var matrix = new double[d * d];
        switch (Type)
        {
            case CovarianceType.Full:
                _covariances.AsSpan(component * d * d, d * d).CopyTo(matrix);
                break;
            case CovarianceType.Tied:
                _covariances.AsSpan(0, d * d).CopyTo(matrix);
                break;
            case CovarianceType.Diagonal:
                for (int c = 0; c < d; c++)
                {
                    matrix[(c * d) + c] = _covariances[(component * d) + c];
                }

                break;
            default:
                for (int c = 0; c < d; c++)
                {
                    matrix[(c * d) + c] = _covariances[component];
                }

                break;
        }

        return matrix;
    }
}
