using Latent.Tensors;

namespace Latent.Classical;

/// <summary>A fitted probabilistic PCA (immutable); made by <see cref="ProbabilisticPca.Fit(Tensor, ProbabilisticPcaOptions)"/>.</summary>
/// <remarks>
/// Transform gives the posterior mean E[z | x] = M⁻¹·W·(x − μ) with M = W·Wᵀ + σ²I; ScoreSamples gives
/// ln N(x | μ, WᵀW + σ²I).
/// </remarks>
public sealed class ProbabilisticPcaModel
{
    private readonly double[] _history;
    private readonly double[] _angles;

    internal ProbabilisticPcaModel(ProbabilisticPcaOptions options, LinearGaussian model, double logLikelihood, double[] history, int samples, TimeSpan fitTime, double[] angles)
    {
        _angles = angles;
        Options = options;
        Model = model;
        LogLikelihood = logLikelihood;
        _history = history;
        Samples = samples;
        FitTime = fitTime;
    }

    /// <summary>The settings the model was fitted with.</summary>
    public ProbabilisticPcaOptions Options { get; }

    /// <summary>Number of latent dimensions k.</summary>
    public int Components => Model.Components;

    /// <summary>Number of features d.</summary>
    public int Features => Model.Features;

    /// <summary>Number of samples fitted.</summary>
    public int Samples { get; }

    /// <summary>Time the fit took.</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The mean μ.</summary>
    public IReadOnlyList<double> Mean => Model.Mean;

    /// <summary>The loadings W as a [k, d] tensor (a copy): orthogonal rows by decreasing norm.</summary>
    public Tensor Loadings => Tensor.FromArray(DenseMath.ToFloat(Model.Loadings), Components, Features);

    /// <summary>The noise variance σ².</summary>
    public double NoiseVariance => Model.Noise[0];

    /// <summary>The mean log-likelihood per training sample.</summary>
    public double LogLikelihood { get; }

    /// <summary>The mean log-likelihood after every EM iteration (empty for the closed form).</summary>
    public IReadOnlyList<double> History => _history;

    /// <summary>
    /// With <see cref="ProbabilisticPcaOptions.PcaAngle"/> and EM, the largest principal angle in degrees between
    /// the loadings' span and the data's top-k principal subspace after every iteration; else empty.
    /// </summary>
    public IReadOnlyList<double> PcaAngleHistory => _angles;

    /// <summary>EM iterations (0 for the closed form).</summary>
    public int Iterations => _history.Length;

    internal LinearGaussian Model { get; }

    /// <summary>Saves the model to one .safetensors file (see <see cref="ClassicalModelFile"/>).</summary>
    public void Save(string path) => ClassicalModelFile.Write(
        path,
        "ppca",
        Options,
        new()
        {
            ["loadings"] = ClassicalModelFile.Matrix(Model.Loadings, Components, Features),
            ["mean"] = ClassicalModelFile.Vector(Model.Mean),
            ["noise_variance"] = ClassicalModelFile.Vector([NoiseVariance]),
            ["history"] = ClassicalModelFile.Vector(_history),
            ["pca_angle_history"] = ClassicalModelFile.Vector(_angles),
        },
        new() { ["log_likelihood"] = LogLikelihood, ["samples"] = Samples, ["fit_seconds"] = FitTime.TotalSeconds });

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static ProbabilisticPcaModel Load(string path)
    {
        var file = ClassicalModelFile.Read(path, "ppca", out ProbabilisticPcaOptions options);
        int k = file.Size("loadings", 0), d = file.Size("loadings", 1);
        double noise = file.Tensor("noise_variance", 1)[0];
        var model = new LinearGaussian(file.Tensor("mean", d), file.Tensor("loadings", k, d), Enumerable.Repeat(noise, d).ToArray());
        double[] angles = options.PcaAngle ? file.Tensor("pca_angle_history", -1) : [];
        return new ProbabilisticPcaModel(options, model, file.Number("log_likelihood"), file.Tensor("history", -1), (int)file.Number("samples"), TimeSpan.FromSeconds(file.Number("fit_seconds")), angles);
    }

    /// <summary>The model covariance WᵀW + σ²I as a row-major [d, d] array.</summary>
    public double[] Covariance() => Model.Covariance();

    /// <summary>The posterior means of the latent variables: [n, k].</summary>
    public Tensor Transform(Tensor data) => Model.Transform(data);

    /// <summary>ln p(xᵢ) for every row of <paramref name="data"/>.</summary>
    public double[] ScoreSamples(Tensor data) => Model.ScoreSamples(data);

    /// <summary>The mean of <see cref="ScoreSamples"/>.</summary>
    public double Score(Tensor data) => ScoreSamples(data).Average();

    /// <summary>Draws <paramref name="count"/> samples x = μ + Wᵀz + σε.</summary>
    public Tensor Sample(int count, ulong seed) => Model.Sample(count, seed);
}
