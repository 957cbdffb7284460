using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The settings of factor analysis; <see cref="Fit(Tensor)"/> turns them into a <see cref="FactorAnalysisModel"/>.</summary>
public sealed record FactorAnalysisOptions
{
    /// <summary>Number of factors k, at most the number of features.</summary>
    public int Components { get; init; } = 2;

    /// <summary>EM stops when the total log-likelihood (summed over samples) changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-2;

    /// <summary>Most EM iterations.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// Subspace-iteration steps per EM iteration for the leading eigenvectors when d &gt; k + 10 (warm-started
    /// from the previous iteration; the first iteration takes 7). Smaller d uses an exact eigendecomposition.
    /// </summary>
    public int PowerIterations { get; init; } = 3;

    /// <summary>
    /// The smallest noise variance ψ a feature may have (scikit-learn's 10⁻¹² by default): it keeps the model
    /// defined on features that never vary, such as the always-black border pixels of MNIST, which get no
    /// loading and ψ = floor. A larger floor (e.g. 10⁻⁴ for pixels in [0, 1]) keeps held-out data that do vary
    /// there from scoring as nearly impossible.
    /// </summary>
    public double NoiseFloor { get; init; } = 1e-12;

    /// <summary>Seed of the subspace iteration's random start.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fits factor analysis with these settings to the rows of <paramref name="data"/>.</summary>
    public FactorAnalysisModel Fit(Tensor data) => FactorAnalysis.Fit(data, this);

    /// <summary>As <see cref="Fit(Tensor)"/>, for the items of a feature source (in memory or memory-mapped).</summary>
    public FactorAnalysisModel Fit(IFeatureSource data) => FactorAnalysis.Fit(data, this);
}
