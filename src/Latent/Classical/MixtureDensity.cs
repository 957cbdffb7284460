using System.Diagnostics;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// The parameters of a Gaussian mixture and the evaluation of log wⱼ + log N(x | μⱼ, Σⱼ) for blocks of samples.
/// </summary>
/// <remarks>
/// With Σⱼ⁻¹ = Uⱼ·Uⱼᵀ (Uⱼ upper triangular, the transposed inverse of the Cholesky factor of Σⱼ),
/// log N(x | μⱼ, Σⱼ) = −½(d·ln 2π + ‖(x − μⱼ)·Uⱼ‖²) + Σ ln diag(Uⱼ). The products x·Uⱼ are one float GEMM for all
/// components (full), or one for the shared U (tied). Diagonal and spherical use
/// −½Σ_c (x_c − μ_c)²·p_c = [x², x]·[−½p, μ∘p]ᵀ − ½μ²·p (precisions p = 1/σ²): one GEMM of the stacked
/// rows [x², x] (n × 2d) by the stacked parameters (k × 2d), as scikit-learn does, the rest a per-component
/// constant in double. Samples are shifted by a fixed offset (the training mean) first, so the float
/// products lose little to cancellation; the constants and the log-sum-exp are in double.
/// </remarks>
internal sealed class MixtureDensity
{
    private readonly float[] _offset;
    private readonly double[] _logWeights;
    private readonly double[] _constants;
    private readonly float[] _matrix;
    private readonly float[] _bias;
    private readonly float[] _componentShift;

    /// <summary>
    /// Means [k, d] relative to the offset; covariances [k, d, d] (full), [k, d] (diagonal), [k] (spherical)
    /// or [d, d] (tied).
    /// </summary>
    public MixtureDensity(CovarianceType type, int k, int d, double[] weights, double[] means, double[] covariances, float[] offset)
    {
        Type = type;
        Components = k;
        Features = d;
        Weights = weights;
        Means = means;
        Covariances = covariances;
        _offset = offset;
        _logWeights = Array.ConvertAll(weights, Math.Log);
        _constants = new double[k];
        _bias = [];
        _componentShift = [];
        double halfLog2Pi = 0.5 * d * Math.Log(2 * Math.PI);
        switch (type)
        {
            case CovarianceType.Full:
                {
                    // One [d, k·d] matrix: the columns of block j are Uⱼ; the bias is −μⱼ·Uⱼ.
                    _matrix = new float[d * k * d];
                    _bias = new float[k * d];
                    for (int j = 0; j < k; j++)
                    {
                        double[] u = PrecisionFactor(covariances.AsSpan(j * d * d, d * d), d, j, out double logDet);
                        _constants[j] = _logWeights[j] + logDet - halfLog2Pi;
                        for (int r = 0; r < d; r++)
                        {
                            for (int c = 0; c < d; c++)
                            {
                                _matrix[(r * k * d) + (j * d) + c] = (float)u[(r * d) + c];
                            }
                        }

                        for (int c = 0; c < d; c++)
                        {
                            double s = 0;
                            for (int r = 0; r <= c; r++)
                            {
                                s += means[(j * d) + r] * u[(r * d) + c];
                            }

                            _bias[(j * d) + c] = (float)-s;
                        }
                    }

                    break;
                }

            case CovarianceType.Tied:
                {
                    double[] u = PrecisionFactor(covariances, d, -1, out double logDet);
                    _matrix = DenseMath.ToFloat(u);
                    _componentShift = new float[k * d];
                    for (int j = 0; j < k; j++)
                    {
                        _constants[j] = _logWeights[j] + logDet - halfLog2Pi;
                        for (int c = 0; c < d; c++)
                        {
                            double s = 0;
                            for (int r = 0; r <= c; r++)
                            {
                                s += means[(j * d) + r] * u[(r * d) + c];
                            }

                            _componentShift[(j * d) + c] = (float)s;
                        }
                    }

                    break;
                }

            default:
                {
                    // Row j: [−½pⱼ, μⱼ∘pⱼ], so that one GEMM with the rows [x², x] gives −½Σ x²p + Σ xμp.
                    _matrix = new float[k * 2 * d];
                    for (int j = 0; j < k; j++)
                    {
                        double logDet = 0, meanTerm = 0;
                        for (int c = 0; c < d; c++)
                        {
                            double variance = type == CovarianceType.Diagonal ? covariances[(j * d) + c] : covariances[j];
                            if (!(variance > 0) || !double.IsFinite(variance))
                            {
                                throw IllDefined(j);
                            }

                            double p = 1 / variance, mu = means[(j * d) + c];
                            _matrix[(j * 2 * d) + c] = (float)(-0.5 * p);
                            _matrix[(j * 2 * d) + d + c] = (float)(mu * p);
                            logDet += 0.5 * Math.Log(p);
                            meanTerm += mu * mu * p;
                        }

                        _constants[j] = _logWeights[j] + logDet - halfLog2Pi - (0.5 * meanTerm);
                    }

                    break;
                }
        }
    }

    public CovarianceType Type { get; }

    public int Components { get; }

    public int Features { get; }

    public double[] Weights { get; }

    /// <summary>[k, d], relative to the offset.</summary>
    public double[] Means { get; }

    public double[] Covariances { get; }

    public float[] Offset => _offset;

    /// <summary>Scratch large enough for one block of <see cref="RowBlocks.Size"/> rows.</summary>
    public float[] CreateScratch()
    {
        int k = Components, d = Features, rows = RowBlocks.Size;
        int product = Type switch { CovarianceType.Full => k * d, CovarianceType.Tied => d, _ => k };
        return new float[rows * (d + d + d + product)];
    }

    /// <summary>
    /// log wⱼ + log N(xᵢ | μⱼ, Σⱼ) for rows [start, start + count) of <paramref name="data"/> (raw, not offset) into
    /// <paramref name="destination"/> ([count, k], row-major).
    /// </summary>
    /// <remarks>Callers run one block per core, so the GEMMs here stay on the calling thread.</remarks>
    public void WeightedLogProbabilities(float[] data, int start, int count, Span<double> destination, float[] scratch)
    {
        int d = Features;
        Span<float> x = scratch.AsSpan(0, count * d);
        for (int i = 0; i < count; i++)
        {
            TensorPrimitives.Subtract(data.AsSpan((start + i) * d, d), _offset, x.Slice(i * d, d));
        }

        CentredLogProbabilities(x, count, destination, scratch.AsSpan(count * d));
    }

    /// <summary>
    /// As <see cref="WeightedLogProbabilities"/> for <paramref name="count"/> rows already offset (x = data − offset),
    /// with scratch of at least <paramref name="count"/>·(2d + k·d) floats (<see cref="CreateScratch"/> less d per row).
    /// </summary>
    public void CentredLogProbabilities(ReadOnlySpan<float> x, int count, Span<double> destination, Span<float> scratch)
    {
        int k = Components, d = Features;
        switch (Type)
        {
            case CovarianceType.Full:
                {
                    Span<float> y = scratch[..(count * k * d)];
                    Gemm.MultiplyOnCallingThread(GemmForm.AB, count, k * d, d, 1f, x, d, _matrix, k * d, 0f, y, k * d, new GemmEpilogue(_bias));
                    for (int i = 0; i < count; i++)
                    {
                        for (int j = 0; j < k; j++)
                        {
                            float squares = TensorPrimitives.SumOfSquares<float>(y.Slice((i * k * d) + (j * d), d));
                            destination[(i * k) + j] = _constants[j] - (0.5 * squares);
                        }
                    }

                    break;
                }

            case CovarianceType.Tied:
                {
                    Span<float> y = scratch[..(count * d)];
                    Gemm.MultiplyOnCallingThread(GemmForm.AB, count, d, d, 1f, x, d, _matrix, d, 0f, y, d);
                    for (int i = 0; i < count; i++)
                    {
                        for (int j = 0; j < k; j++)
                        {
                            float distance = TensorPrimitives.Distance(y.Slice(i * d, d), _componentShift.AsSpan(j * d, d));
                            destination[(i * k) + j] = _constants[j] - (0.5 * distance * distance);
                        }
                    }

                    break;
                }

            default:
                {
                    // [x², x] per row.
                    Span<float> stacked = scratch[..(count * 2 * d)];
                    for (int i = 0; i < count; i++)
                    {
                        ReadOnlySpan<float> row = x.Slice(i * d, d);
                        TensorPrimitives.Multiply(row, row, stacked.Slice(i * 2 * d, d));
                        row.CopyTo(stacked.Slice((i * 2 * d) + d, d));
                    }

                    DiagonalLogProbabilities(stacked, 2 * d, count, destination, scratch.Slice(count * 2 * d, count * k));
                    break;
                }
        }
    }

    /// <summary>
    /// log wⱼ + log N(xᵢ | μⱼ, diag σ²ⱼ) (diagonal or spherical) for stacked rows: one GEMM on the calling
    /// thread (callers run a block per core).
    /// </summary>
    /// <param name="stacked">The rows [xᵢ², xᵢ] (xᵢ offset), 2d floats each; anything may follow in a row.</param>
    /// <param name="stride">Distance between the stacked rows.</param>
    /// <param name="count">Number of rows.</param>
    /// <param name="destination">The weighted log densities, [count, k] row-major.</param>
    /// <param name="terms">Scratch of at least count·k floats.</param>
    public void DiagonalLogProbabilities(ReadOnlySpan<float> stacked, int stride, int count, Span<double> destination, Span<float> terms)
    {
        int k = Components, d = Features;
        Debug.Assert(Type is CovarianceType.Diagonal or CovarianceType.Spherical);
        terms = terms[..(count * k)];
        Gemm.MultiplyOnCallingThread(GemmForm.ABt, count, k, 2 * d, 1f, stacked, stride, _matrix, 2 * d, 0f, terms, k);
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < k; j++)
            {
                destination[(i * k) + j] = _constants[j] + terms[(i * k) + j];
            }
        }
    }

    /// <summary>
    /// Turns the <paramref name="count"/> rows of weighted log-probabilities in <paramref name="log"/> ([count, k]) into
    /// responsibilities (in place, and as floats into <paramref name="responsibilities"/>); returns the sum of the rows'
    /// log-sum-exps, the block's log-likelihood.
    /// </summary>
    public static double NormalizeRows(Span<double> log, int count, int k, Span<float> responsibilities)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            Span<double> row = log.Slice(i * k, k);
            sum += Normalize(row);
            TensorPrimitives.ConvertChecked<double, float>(row, responsibilities.Slice(i * k, k));
        }

        return sum;
    }

    /// <summary>Turns each row of weighted log-probabilities into responsibilities in place; returns the row's log-sum-exp.</summary>
    public static double Normalize(Span<double> row)
    {
        double max = TensorPrimitives.Max<double>(row);
        double sum = 0;
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = Math.Exp(row[j] - max);
            sum += row[j];
        }

        TensorPrimitives.Multiply(row, 1 / sum, row);
        return max + Math.Log(sum);
    }

    /// <summary>U with Σ⁻¹ = U·Uᵀ, U = (L⁻¹)ᵀ for Σ = L·Lᵀ; and log det U.</summary>
    private static double[] PrecisionFactor(ReadOnlySpan<double> covariance, int d, int component, out double logDet)
    {
        double[] l = DenseMath.Cholesky(covariance, d) ?? throw IllDefined(component);
        double[] inverse = DenseMath.InvertLower(l, d);
        logDet = 0;
        for (int i = 0; i < d; i++)
        {
            logDet -= Math.Log(l[(i * d) + i]);
        }

        return DenseMath.Transpose(inverse, d, d);
    }

    private static ArgumentException IllDefined(int component) => new(
        (component >= 0 ? $"The covariance of component {component}" : "The shared covariance") +
        " is not positive definite: the data may hold duplicate samples or fewer samples than features per component; " +
        "increase RegCovar, reduce the number of components, or use a diagonal or spherical covariance.");
}
