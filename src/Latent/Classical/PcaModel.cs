using Latent.Tensors;

namespace Latent.Classical;

/// <summary>A fitted principal component analysis (immutable); made by <see cref="Pca.Fit(Tensor, PcaOptions)"/>.</summary>
/// <remarks>
/// Transform: z = (x − μ)·Vᵀ, divided by √λ per component when whitening. InverseTransform: x̂ = z·V + μ
/// (with z multiplied by √λ first when whitening). The noise variance is the mean of the discarded
/// eigenvalues, σ² = Σ_{i&gt;k} λᵢ / (min(n, d) − k), as in probabilistic PCA.
/// </remarks>
public sealed class PcaModel
{
    private readonly double[] _mean;
    private readonly double[] _components;
    private readonly double[] _variances;
    private readonly float[] _forward;
    private readonly float[] _forwardBias;
    private readonly float[] _backward;
    private readonly float[] _backwardBias;

    internal PcaModel(PcaOptions options, int samples, double[] mean, double[] components, double[] variances, double totalVariance, double noiseVariance, TimeSpan fitTime)
    {
        Options = options;
        Samples = samples;
        Features = mean.Length;
        _mean = mean;
        _components = components;
        _variances = variances;
        TotalVariance = totalVariance;
        NoiseVariance = noiseVariance;
        FitTime = fitTime;

        int k = variances.Length, d = Features;
        _forward = new float[k * d];
        _backward = new float[k * d];
        _forwardBias = new float[k];
        for (int i = 0; i < k; i++)
        {
            double scale = options.Whiten ? 1.0 / Math.Sqrt(Math.Max(variances[i], double.Epsilon)) : 1.0;
            double inverseScale = options.Whiten ? Math.Sqrt(variances[i]) : 1.0;
            double projectedMean = 0;
            for (int c = 0; c < d; c++)
            {
                double v = components[(i * d) + c];
                _forward[(i * d) + c] = (float)(v * scale);
                _backward[(i * d) + c] = (float)(v * inverseScale);
                projectedMean += v * mean[c];
            }

            _forwardBias[i] = (float)(-projectedMean * scale);
        }

        _backwardBias = DenseMath.ToFloat(mean);
    }

    /// <summary>The settings the model was fitted with (the solver resolved from <see cref="PcaSolver.Auto"/>).</summary>
    public PcaOptions Options { get; }

    /// <summary>The float map <see cref="Transform"/> applies, z = x·Aᵀ + b: A [k, d] and b [k] (read by the ONNX export).</summary>
    internal (float[] Matrix, float[] Bias) Projection => (_forward, _forwardBias);

    /// <summary>Number of components k.</summary>
    public int Components => _variances.Length;

    /// <summary>Number of features d.</summary>
    public int Features { get; }

    /// <summary>Number of samples fitted.</summary>
    public int Samples { get; }

    /// <summary>Time the fit took.</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The components as the rows of a [k, d] tensor (a copy), orthonormal, by decreasing variance.</summary>
    public Tensor ComponentMatrix => Tensor.FromArray(DenseMath.ToFloat(_components), Components, Features);

    /// <summary>Component <paramref name="index"/> in double.</summary>
    public ReadOnlySpan<double> Component(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Components);
        return _components.AsSpan(index * Features, Features);
    }

    /// <summary>The mean μ of the training data.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The variance λᵢ along each component (eigenvalues of the covariance with divisor n − 1).</summary>
    public IReadOnlyList<double> ExplainedVariance => _variances;

    /// <summary>λᵢ divided by the total variance.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio => Array.ConvertAll(_variances, v => v / TotalVariance);

    /// <summary>The singular values σᵢ = √(λᵢ·(n − 1)) of the centred data.</summary>
    public IReadOnlyList<double> SingularValues => Array.ConvertAll(_variances, v => Math.Sqrt(v * (Samples - 1)));

    /// <summary>The total variance of the data, the sum of all eigenvalues (the trace of the covariance).</summary>
    public double TotalVariance { get; }

    /// <summary>The mean variance of the discarded directions (0 when every direction is kept).</summary>
    public double NoiseVariance { get; }

    /// <summary>Saves the model to one .safetensors file (see <see cref="ClassicalModelFile"/>).</summary>
    public void Save(string path) => ClassicalModelFile.Write(
        path,
        "pca",
        Options,
        new() { ["components"] = ClassicalModelFile.Matrix(_components, Components, Features), ["mean"] = ClassicalModelFile.Vector(_mean), ["explained_variance"] = ClassicalModelFile.Vector(_variances) },
        new() { ["total_variance"] = TotalVariance, ["noise_variance"] = NoiseVariance, ["samples"] = Samples, ["fit_seconds"] = FitTime.TotalSeconds });

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static PcaModel Load(string path)
    {
        var file = ClassicalModelFile.Read(path, "pca", out PcaOptions options);
        int k = file.Size("components", 0), d = file.Size("components", 1);
        return new PcaModel(
            options, (int)file.Number("samples"), file.Tensor("mean", d), file.Tensor("components", k, d), file.Tensor("explained_variance", k),
            file.Number("total_variance"), file.Number("noise_variance"), TimeSpan.FromSeconds(file.Number("fit_seconds")));
    }

    /// <summary>Projects the rows of <paramref name="data"/> onto the components: [n, k].</summary>
    public Tensor Transform(Tensor data)
    {
        int n = ClassicalInput.CheckMatrix(data, Features, nameof(data));
        var codes = Tensor.Zeros(n, Components);
        Gemm.Multiply(GemmForm.ABt, n, Components, Features, 1f, data.Span, Features, _forward, Features, 0f, codes.Span, Components, new GemmEpilogue(_forwardBias));
        return codes;
    }

    /// <summary>Maps codes [n, k] back to the data space: [n, d].</summary>
    public Tensor InverseTransform(Tensor codes)
    {
        int n = ClassicalInput.CheckMatrix(codes, Components, nameof(codes));
        var data = Tensor.Zeros(n, Features);
        Gemm.Multiply(GemmForm.AB, n, Features, Components, 1f, codes.Span, Components, _backward, Features, 0f, data.Span, Features, new GemmEpilogue(_backwardBias));
        return data;
    }

    /// <summary>The mean over samples of the squared reconstruction error, (1/n)·Σ‖x − x̂‖².</summary>
    public double ReconstructionError(Tensor data)
    {
        using Tensor codes = Transform(data);
        using Tensor reconstructed = InverseTransform(codes);
        double total = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            float distance = TensorPrimitives.Distance(data.Row(r), reconstructed.Row(r));
            total += (double)distance * distance;
        }

        return total / data.Rows;
    }
}
