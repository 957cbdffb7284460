using System.Runtime.CompilerServices;
namespace Latent.Classical;

/// <summary>
/// LU factorisation with partial pivoting of T − λI for a symmetric tridiagonal T (LAPACK's dlagtf), and solves
/// with it (dlagts): U has up to two superdiagonals after row swaps.
/// </summary>
internal sealed class TridiagonalLu
{
    private readonly double[] _u0;
    private readonly double[] _u1;
    private readonly double[] _u2;
    private readonly double[] _multiplier;
    private readonly bool[] _swapped;
    private int _n;

    /// <summary>Buffers for matrices of order up to <paramref name="capacity"/>.</summary>
    public TridiagonalLu(int capacity)
    {
        _u0 = new double[capacity];
        _u1 = new double[capacity];
        _u2 = new double[capacity];
        _multiplier = new double[capacity];
        _swapped = new bool[capacity];
    }

    /// <summary>
    /// Factors T − λI; pivots smaller in magnitude than <paramref name="tiny"/> are replaced by ±tiny, so the
    /// solve of a (nearly) singular system stays finite and large along the eigenvector, as inverse iteration needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Factor(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal, double lambda, double tiny)
    {
        int n = diagonal.Length;
        _n = n;

        // The current row i holds (at columns i, i + 1, i + 2) first, second and third.
        double first = diagonal[0] - lambda;
        double second = n > 1 ? offDiagonal[0] : 0;
        double third = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double below = offDiagonal[i];
            double nextDiagonal = diagonal[i + 1] - lambda;
            double nextSuper = i + 2 < n ? offDiagonal[i + 1] : 0;
            if (Math.Abs(first) >= Math.Abs(below))
            {
                double m = first == 0 ? 0 : below / first;
                _swapped[i] = false;
                _multiplier[i] = m;
                _u0[i] = Pivot(first, tiny);
                _u1[i] = second;
                _u2[i] = third;
                first = nextDiagonal - (m * second);
                second = nextSuper - (m * third);
            }
            else
            {
                double m = first / below;
                _swapped[i] = true;
                _multiplier[i] = m;
                _u0[i] = below;
                _u1[i] = nextDiagonal;
                _u2[i] = nextSuper;
                first = second - (m * nextDiagonal);
                second = third - (m * nextSuper);
            }

            third = 0;
        }

        _u0[n - 1] = Pivot(first, tiny);
    }

    /// <summary>Overwrites <paramref name="b"/> with the solution x of (T − λI)·x = b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(Span<double> b)
    {
        int n = _n;
        for (int i = 0; i < n - 1; i++)
        {
            if (_swapped[i])
            {
                (b[i], b[i + 1]) = (b[i + 1], b[i]);
            }

            b[i + 1] -= _multiplier[i] * b[i];
        }

        b[n - 1] /= _u0[n - 1];
        if (n > 1)
        {
            b[n - 2] = (b[n - 2] - (_u1[n - 2] * b[n - 1])) / _u0[n - 2];
        }

        for (int i = n - 3; i >= 0; i--)
        {
            b[i] = (b[i] - (_u1[i] * b[i + 1]) - (_u2[i] * b[i + 2])) / _u0[i];
        }
    }

    private static double Pivot(double value, double tiny) => Math.Abs(value) >= tiny ? value : (value < 0 ? -tiny : tiny);
}
