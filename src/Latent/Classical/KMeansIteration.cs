using Latent.Tensors;

namespace Latent.Classical;

/// <summary>One recorded Lloyd iteration: the centres it started from, the assignments they gave, and their inertia.</summary>
public sealed class KMeansIteration
{
    private readonly float[] _centres;
    private readonly int[] _labels;

    internal KMeansIteration(int iteration, float[] centres, int clusters, int[] labels, double inertia)
    {
        Iteration = iteration;
        _centres = centres;
        Clusters = clusters;
        _labels = labels;
        Inertia = inertia;
    }

    /// <summary>1 for the first iteration.</summary>
    public int Iteration { get; }

    /// <summary>Number of clusters.</summary>
    public int Clusters { get; }

    /// <summary>The centres at the start of the iteration, [k, d] (a copy).</summary>
    public Tensor Centres => Tensor.FromArray((float[])_centres.Clone(), Clusters, _centres.Length / Clusters);

    /// <summary>The cluster of every sample under those centres.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>Σᵢ‖xᵢ − c_{label(i)}‖² under those centres.</summary>
    public double Inertia { get; }
}
