using Latent.Tensors;

namespace Latent.Classical;

/// <summary>A fitted factor analysis (immutable); made by <see cref="FactorAnalysis.Fit(Tensor, FactorAnalysisOptions)"/>.</summary>
/// <remarks>
/// Transform gives the posterior mean E[z | x] = (I + A·D⁻¹·Aᵀ)⁻¹·A·D⁻¹·(x − μ); ScoreSamples gives
/// ln N(x | μ, AᵀA + D).
/// </remarks>
public sealed class FactorAnalysisModel
{
    private readonly double[] _history;

    internal FactorAnalysisModel(FactorAnalysisOptions options, LinearGaussian model, double logLikelihood, double[] history, bool converged, int samples, TimeSpan fitTime)
    {
        Options = options;
        Model = model;
        LogLikelihood = logLikelihood;
        _history = history;
        Converged = converged;
        Samples = samples;
        FitTime = fitTime;
    }

    /// <summary>The settings the model was fitted with.</summary>
    public FactorAnalysisOptions Options { get; }

    /// <summary>Number of factors k.</summary>
    public int Components => Model.Components;

    /// <summary>Number of features d.</summary>
    public int Features => Model.Features;

    /// <summary>Number of samples fitted.</summary>
    public int Samples { get; }

    /// <summary>Time the fit took.</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The mean μ.</summary>
    public IReadOnlyList<double> Mean => Model.Mean;

    /// <summary>The factor loadings A as a [k, d] tensor (a copy).</summary>
    public Tensor Loadings => Tensor.FromArray(DenseMath.ToFloat(Model.Loadings), Components, Features);

    /// <summary>The noise variances, the diagonal of D.</summary>
    public IReadOnlyList<double> NoiseVariance => Model.Noise;

    /// <summary>The mean log-likelihood per training sample of the final parameters.</summary>
    public double LogLikelihood { get; }

    /// <summary>The mean log-likelihood per sample at every EM iteration.</summary>
    public IReadOnlyList<double> History => _history;

    /// <summary>EM iterations run.</summary>
    public int Iterations => _history.Length;

    /// <summary>Whether EM met the tolerance before the iteration cap.</summary>
    public bool Converged { get; }

    internal LinearGaussian Model { get; }

    /// <summary>Saves the model to one .safetensors file (see <see cref="ClassicalModelFile"/>).</summary>
    public void Save(string path) => ClassicalModelFile.Write(
        path,
        "fa",
        Options,
        new()
        {
            ["loadings"] = ClassicalModelFile.Matrix(Model.Loadings, Components, Features),
            ["mean"] = ClassicalModelFile.Vector(Model.Mean),
            ["noise_variance"] = ClassicalModelFile.Vector(Model.Noise),
            ["history"] = ClassicalModelFile.Vector(_history),
        },
        new() { ["log_likelihood"] = LogLikelihood, ["converged"] = Converged ? 1 : 0, ["samples"] = Samples, ["fit_seconds"] = FitTime.TotalSeconds });

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static FactorAnalysisModel Load(string path)
    {
        var file = ClassicalModelFile.Read(path, "fa", out FactorAnalysisOptions options);
        int k = file.Size("loadings", 0), d = file.Size("loadings", 1);
        var model = new LinearGaussian(file.Tensor("mean", d), file.Tensor("loadings", k, d), file.Tensor("noise_variance", d));
        return new FactorAnalysisModel(
            options, model, file.Number("log_likelihood"), file.Tensor("history", -1), file.Number("converged") != 0, (int)file.Number("samples"), TimeSpan.FromSeconds(file.Number("fit_seconds")));
    }

    /// <summary>The model covariance AᵀA + D as a row-major [d, d] array.</summary>
    public double[] Covariance() => Model.Covariance();

    /// <summary>The posterior means of the factors: [n, k].</summary>
    public Tensor Transform(Tensor data) => Model.Transform(data);

    /// <summary>ln p(xᵢ) for every row of <paramref name="data"/>.</summary>
    public double[] ScoreSamples(Tensor data) => Model.ScoreSamples(data);

    /// <summary>The mean of <see cref="ScoreSamples"/>.</summary>
    public double Score(Tensor data) => ScoreSamples(data).Average();

    /// <summary>Draws <paramref name="count"/> samples x = μ + Aᵀz + D^½ε.</summary>
    public Tensor Sample(int count, ulong seed) => Model.Sample(count, seed);
}
