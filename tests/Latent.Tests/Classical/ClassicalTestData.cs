using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>Synthetic data sets with known structure for the classical-method tests.</summary>
internal static class ClassicalTestData
{
    /// <summary>
    /// n samples of x = μ + z·diag(scales)·R with z standard normal and R a random orthogonal d × d matrix: the
    /// covariance has eigenvalues scalesᵢ² along the rows of R.
    /// </summary>
    public static Tensor Spectrum(int n, double[] scales, ulong seed, out double[] rotation)
    {
        int d = scales.Length;
        var rng = new Rng(seed);
        rotation = RandomOrthogonal(d, rng);
        var x = Tensor.Zeros(n, d);
        var z = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < d; i++)
            {
                z[i] = rng.NextGaussian() * scales[i];
            }

            for (int c = 0; c < d; c++)
            {
                double s = 3.0 + c;
                for (int i = 0; i < d; i++)
                {
                    s += z[i] * rotation[(i * d) + c];
                }

                x[r, c] = (float)s;
            }
        }

        return x;
    }

    /// <summary>A random orthogonal d × d matrix (rows orthonormal), by Gram–Schmidt on a Gaussian matrix.</summary>
    public static double[] RandomOrthogonal(int d, Rng rng)
    {
        var q = new double[d * d];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = rng.NextGaussian();
        }

        for (int i = 0; i < d; i++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j < i; j++)
                {
                    double dot = 0;
                    for (int c = 0; c < d; c++)
                    {
                        dot += q[(i * d) + c] * q[(j * d) + c];
                    }

                    for (int c = 0; c < d; c++)
                    {
                        q[(i * d) + c] -= dot * q[(j * d) + c];
                    }
                }
            }

            double norm = 0;
            for (int c = 0; c < d; c++)
            {
                norm += q[(i * d) + c] * q[(i * d) + c];
            }

            for (int c = 0; c < d; c++)
            {
                q[(i * d) + c] /= Math.Sqrt(norm);
            }
        }

        return q;
    }

    /// <summary>
    /// Gaussian blobs: <paramref name="perCluster"/> samples around each row of <paramref name="centres"/> with the
    /// given standard deviation, interleaved (sample i belongs to cluster i mod k).
    /// </summary>
    public static Tensor Blobs(double[,] centres, int perCluster, double deviation, ulong seed)
    {
        int k = centres.GetLength(0), d = centres.GetLength(1);
        var rng = new Rng(seed);
        var x = Tensor.Zeros(k * perCluster, d);
        for (int r = 0; r < k * perCluster; r++)
        {
            for (int c = 0; c < d; c++)
            {
                x[r, c] = (float)(centres[r % k, c] + (deviation * rng.NextGaussian()));
            }
        }

        return x;
    }

    /// <summary>The sample covariance (divisor n − 1) of the rows, computed naively in double.</summary>
    public static double[,] Covariance(Tensor x)
    {
        int n = x.Rows, d = x.Columns;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < d; c++)
            {
                mean[c] += x[r, c] / (double)n;
            }
        }

        var cov = new double[d, d];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    cov[i, j] += (x[r, i] - mean[i]) * (x[r, j] - mean[j]) / (n - 1);
                }
            }
        }

        return cov;
    }
}
