using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// The leading eigenpairs of a sequence of slowly changing symmetric matrices by warm-started subspace
/// iteration with Rayleigh–Ritz, or exactly when the subspace is the whole space.
/// </summary>
internal sealed class SubspaceEigen
{
    private const int Oversamples = 10;
    private const int FirstSteps = 7;

    private readonly int _d;
    private readonly int _k;
    private readonly int _l;
    private readonly Rng _rng;
    private double[]? _basis;

    private readonly int _firstSteps;

    /// <summary>An iteration for the top <paramref name="k"/> eigenpairs of d × d matrices.</summary>
    /// <param name="d">The matrices' size.</param>
    /// <param name="k">The eigenpairs wanted.</param>
    /// <param name="seed">Seeds the random start.</param>
    /// <param name="oversamples">Extra basis vectors beyond k (the subspace has k + oversamples, at most d).</param>
    /// <param name="firstSteps">The fewest steps of the first call, which starts from random vectors.</param>
    public SubspaceEigen(int d, int k, ulong seed, int oversamples = Oversamples, int firstSteps = FirstSteps)
    {
        _d = d;
        _k = k;
        _l = Math.Min(d, k + oversamples);
        _rng = new Rng(seed);
        _firstSteps = firstSteps;
    }

    /// <summary>The k largest eigenvalues (descending) and their eigenvectors (rows of [k, d]) of <paramref name="a"/>.</summary>
    public (double[] Values, double[] Vectors) Top(double[] a, int steps)
    {
        int d = _d, k = _k, l = _l;
        if (l == d)
        {
            (double[] all, double[] vectors) = DenseMath.SymmetricEigen(a, d, k);
            return (all[..k], vectors);
        }

        if (_basis is null)
        {
            _basis = new double[l * d];
            for (int i = 0; i < _basis.Length; i++)
            {
                _basis[i] = _rng.NextGaussian();
            }

            DenseMath.Orthonormalize(_basis, l, d, _rng);
            steps = Math.Max(steps, _firstSteps);
        }

        for (int step = 0; step < steps; step++)
        {
            // Rows of Q·A are A·qᵢ because A is symmetric.
            _basis = DenseMath.MultiplyTransposed(_basis, l, d, a, d);
            DenseMath.Orthonormalize(_basis, l, d, _rng);
        }

        double[] qa = DenseMath.MultiplyTransposed(_basis, l, d, a, d);
        double[] h = DenseMath.MultiplyTransposed(qa, l, d, _basis, l);
        (double[] values, double[] ritz) = DenseMath.SymmetricEigen(h, l);
        var rotated = new double[l * d];
        for (int i = 0; i < l; i++)
        {
            Span<double> row = rotated.AsSpan(i * d, d);
            for (int j = 0; j < l; j++)
            {
                TensorPrimitives.MultiplyAdd(_basis.AsSpan(j * d, d), ritz[(i * l) + j], row, row);
            }
        }

        _basis = rotated;
        return (values[..k], rotated[..(k * d)]);
    }
}
