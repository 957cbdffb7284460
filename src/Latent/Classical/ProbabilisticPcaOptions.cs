using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>The settings of probabilistic PCA; <see cref="Fit(Tensor)"/> turns them into a <see cref="ProbabilisticPcaModel"/>.</summary>
public sealed record ProbabilisticPcaOptions
{
    /// <summary>Number of latent dimensions k, less than the number of features.</summary>
    public int Components { get; init; } = 2;

    /// <summary>Closed form or EM.</summary>
    public PpcaSolver Solver { get; init; } = PpcaSolver.ClosedForm;

    /// <summary>EM stops when the mean log-likelihood per sample changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Most EM iterations.</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>
    /// With the EM solver, record after every iteration the largest principal angle in degrees between the
    /// loadings' span and the top-k principal subspace of the data (<see cref="PrincipalAngles"/>; one extra
    /// eigendecomposition of the covariance): <see cref="ProbabilisticPcaModel.PcaAngleHistory"/>.
    /// </summary>
    public bool PcaAngle { get; init; }

    /// <summary>Seed of EM's random start.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fits probabilistic PCA with these settings to the rows of <paramref name="data"/>.</summary>
    public ProbabilisticPcaModel Fit(Tensor data) => ProbabilisticPca.Fit(data, this);

    /// <summary>As <see cref="Fit(Tensor)"/>, for the items of a feature source (in memory or memory-mapped).</summary>
    public ProbabilisticPcaModel Fit(IFeatureSource data) => ProbabilisticPca.Fit(data, this);
}
