using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// The linear Gaussian latent model x = μ + Wᵀz + ε, z ~ N(0, I_k), ε ~ N(0, Ψ) with Ψ diagonal, shared by
/// probabilistic PCA (Ψ = σ²I) and factor analysis. W is stored [k, d].
/// </summary>
/// <remarks>
/// With M = I + W·Ψ⁻¹·Wᵀ = L·Lᵀ: the marginal covariance C = WᵀW + Ψ has ln|C| = Σ ln ψ + 2·Σ ln Lᵢᵢ and
/// C⁻¹ = Ψ⁻¹ − Ψ⁻¹Wᵀ·M⁻¹·WΨ⁻¹ (Woodbury), so (x − μ)ᵀC⁻¹(x − μ) = Σ (x − μ)²/ψ − ‖L⁻¹·WΨ⁻¹(x − μ)‖²;
/// the posterior mean is E[z | x] = M⁻¹·WΨ⁻¹(x − μ).
/// </remarks>
internal sealed class LinearGaussian
{
    private readonly double[] _mean;
    private readonly double[] _loadings;
    private readonly double[] _noise;
    private readonly double[] _p;
    private readonly float[] _posterior;
    private readonly float[] _posteriorBias;
    private readonly float[] _whitened;
    private readonly float[] _whitenedBias;
    private readonly float[] _inverseNoise;
    private readonly float[] _meanF;

    public LinearGaussian(double[] mean, double[] loadings, double[] noise)
    {
        int d = mean.Length, k = loadings.Length / d;
        Features = d;
        Components = k;
        _mean = mean;
        _loadings = loadings;
        _noise = noise;

        // B = W·Ψ⁻¹ [k, d]; M = I + B·Wᵀ.
        var b = new double[k * d];
        for (int i = 0; i < k; i++)
        {
            for (int c = 0; c < d; c++)
            {
                b[(i * d) + c] = loadings[(i * d) + c] / noise[c];
            }
        }

        double[] m = DenseMath.MultiplyTransposed(b, k, d, loadings, k);
        for (int i = 0; i < k; i++)
        {
            m[(i * k) + i] += 1;
        }

        double[] l = DenseMath.Cholesky(m, k) ?? throw new InvalidOperationException("I + WΨ⁻¹Wᵀ is not positive definite.");
        double[] lInverse = DenseMath.InvertLower(l, k);
        LogDeterminant = 0;
        for (int c = 0; c < d; c++)
        {
            LogDeterminant += Math.Log(noise[c]);
        }

        for (int i = 0; i < k; i++)
        {
            LogDeterminant += 2 * Math.Log(l[(i * k) + i]);
        }

        // P = L⁻¹·B and T = M⁻¹·B = L⁻ᵀ·P.
        double[] p = Multiply(lInverse, k, k, b, d);
        double[] t = Multiply(DenseMath.Transpose(lInverse, k, k), k, k, p, d);
        _p = p;
        (_whitened, _whitenedBias) = WithBias(p, k, d, mean);
        (_posterior, _posteriorBias) = WithBias(t, k, d, mean);
        _inverseNoise = Array.ConvertAll(noise, v => (float)(1 / v));
        _meanF = DenseMath.ToFloat(mean);
    }

    public int Features { get; }

    /// <summary>The float map <see cref="Transform"/> applies, E[z | x] = x·Aᵀ + b: A [k, d] and b [k] (read by the ONNX export).</summary>
    public (float[] Matrix, float[] Bias) Posterior => (_posterior, _posteriorBias);

    public int Components { get; }

    public IReadOnlyList<double> Mean => _mean;

    /// <summary>W, [k, d].</summary>
    public double[] Loadings => _loadings;

    /// <summary>The diagonal of Ψ.</summary>
    public double[] Noise => _noise;

    /// <summary>ln|C|.</summary>
    public double LogDeterminant { get; }

    /// <summary>C = WᵀW + Ψ, [d, d].</summary>
    public double[] Covariance()
    {
        int d = Features;
        double[] wt = DenseMath.Transpose(_loadings, Components, d);
        double[] c = DenseMath.MultiplyTransposed(wt, d, Components, wt, d);
        for (int i = 0; i < d; i++)
        {
            c[(i * d) + i] += _noise[i];
        }

        return c;
    }

    /// <summary>
    /// The mean log-likelihood of data whose maximum-likelihood covariance (divisor n) is <paramref name="s"/>:
    /// −½(d·ln 2π + ln|C| + tr(C⁻¹S)), with tr(C⁻¹S) = Σⱼ Sⱼⱼ/ψⱼ − tr(P·S·Pᵀ) for P = L⁻¹·WΨ⁻¹.
    /// </summary>
    public double MeanLogLikelihood(double[] s)
    {
        int d = Features, k = Components;
        double trace = 0;
        for (int c = 0; c < d; c++)
        {
            trace += s[(c * d) + c] / _noise[c];
        }

        double[] ps = DenseMath.MultiplyTransposed(_p, k, d, s, d);
        trace -= TensorPrimitives.Dot<double>(ps, _p);
        return -0.5 * ((d * Math.Log(2 * Math.PI)) + LogDeterminant + trace);
    }

    /// <summary>The posterior means E[z | x] of the rows of <paramref name="data"/>: [n, k].</summary>
    public Tensor Transform(Tensor data)
    {
        int n = ClassicalInput.CheckMatrix(data, Features, nameof(data));
        var codes = Tensor.Zeros(n, Components);
        Gemm.Multiply(GemmForm.ABt, n, Components, Features, 1f, data.Span, Features, _posterior, Features, 0f, codes.Span, Components, new GemmEpilogue(_posteriorBias));
        return codes;
    }

    /// <summary>ln N(xᵢ | μ, C) for every row of <paramref name="data"/>.</summary>
    public double[] ScoreSamples(Tensor data)
    {
        int n = ClassicalInput.CheckMatrix(data, Features, nameof(data));
        int d = Features, k = Components;
        var y = new float[n * k];
        Gemm.Multiply(GemmForm.ABt, n, k, d, 1f, data.Span, d, _whitened, d, 0f, y, k, new GemmEpilogue(_whitenedBias));
        var scores = new double[n];
        double constant = -0.5 * ((d * Math.Log(2 * Math.PI)) + LogDeterminant);
        float[] x = data.Buffer;
        RowBlocks.ForEachRange(n, (start, end) =>
        {
            var diff = new float[d];
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.Subtract(x.AsSpan(r * d, d), _meanF, diff);
                TensorPrimitives.Multiply(diff, diff, diff);
                double quadratic = TensorPrimitives.Dot(diff, _inverseNoise) - (double)TensorPrimitives.SumOfSquares<float>(y.AsSpan(r * k, k));
                scores[r] = constant - (0.5 * quadratic);
            }
        });
        return scores;
    }

    /// <summary>Draws x = μ + Wᵀz + Ψ^½ε.</summary>
    public Tensor Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int d = Features, k = Components;
        var rng = new Rng(seed);
        var samples = Tensor.Zeros(count, d);
        var z = new double[k];
        for (int r = 0; r < count; r++)
        {
            for (int i = 0; i < k; i++)
            {
                z[i] = rng.NextGaussian();
            }

            for (int c = 0; c < d; c++)
            {
                double value = _mean[c] + (Math.Sqrt(_noise[c]) * rng.NextGaussian());
                for (int i = 0; i < k; i++)
                {
                    value += _loadings[(i * d) + c] * z[i];
                }

                samples[r, c] = (float)value;
            }
        }

        return samples;
    }

    /// <summary>A [m, n] = B [m, k] · C [k, n], row-major, in double.</summary>
    private static double[] Multiply(double[] b, int m, int k, double[] c, int n) =>
        DenseMath.MultiplyTransposed(b, m, k, DenseMath.Transpose(c, k, n), n);

    /// <summary>The matrix in float and the GEMM bias −A·μ that centres the input.</summary>
    private static (float[] Matrix, float[] Bias) WithBias(double[] a, int k, int d, double[] mean)
    {
        var bias = new float[k];
        for (int i = 0; i < k; i++)
        {
            bias[i] = (float)-TensorPrimitives.Dot<double>(a.AsSpan(i * d, d), mean);
        }

        return (DenseMath.ToFloat(a), bias);
    }
}
