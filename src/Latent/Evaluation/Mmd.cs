using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>The maximum mean discrepancy between two samples with a Gaussian kernel, in double.</summary>
/// <remarks>
/// The unbiased estimate MMD² = 1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(n(n−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(mn) Σᵢⱼ k(xᵢ, yⱼ)
/// with k(a, b) = exp(−‖a − b‖² / (2d)), d the dimension: the bandwidth grows with d so that the kernel stays
/// informative for N(0, I) in any dimension. Used between the aggregate posterior q(z) = E_x q(z | x) and the
/// prior N(0, I); 0 when they match.
/// </remarks>
public static class Mmd
{
    /// <summary>The unbiased MMD² between the rows of <paramref name="x"/> and of <paramref name="y"/>.</summary>
    public static double Squared(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Columns != y.Columns)
        {
            throw new ArgumentException($"The samples have {x.Columns} and {y.Columns} columns; they must match.", nameof(y));
        }

        if (x.Rows < 2 || y.Rows < 2)
        {
            throw new ArgumentException("MMD needs at least two items in each sample.", nameof(x));
        }

        double width = 2.0 * x.Columns;
        double xx = Sum(x, x, width, skipDiagonal: true) / ((double)x.Rows * (x.Rows - 1));
        double yy = Sum(y, y, width, skipDiagonal: true) / ((double)y.Rows * (y.Rows - 1));
        double xy = Sum(x, y, width, skipDiagonal: false) / ((double)x.Rows * y.Rows);
        return xx + yy - (2 * xy);
    }

    /// <summary>MMD² between <paramref name="codes"/> (draws from the aggregate posterior) and as many draws from N(0, I).</summary>
    public static double ToStandardNormal(Tensor codes, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(rng);
        var prior = Tensor.Zeros(codes.Rows, codes.Columns);
        rng.FillNormal(prior.Span);
        return Squared(codes, prior);
    }

    private static double Sum(Tensor a, Tensor b, double width, bool skipDiagonal)
    {
        int d = a.Columns;
        double total = 0;
        for (int i = 0; i < a.Rows; i++)
        {
            var row = a.Row(i);
            for (int j = 0; j < b.Rows; j++)
            {
                if (skipDiagonal && i == j)
                {
                    continue;
                }

                var other = b.Row(j);
                double distance = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = row[k] - other[k];
                    distance += diff * diff;
                }

                total += Math.Exp(-distance / width);
            }
        }

        return total;
    }
}
