using Latent.Classical;
using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>The symmetric rank-k scatter (<see cref="Moments.Scatter"/>) against a naive double-precision scatter.</summary>
[Trait("Category", "Kernels")]
public class ScatterTests
{
    /// <summary>
    /// Pixel-like data (integers in [0, 255], a large mean) over several row blocks and a partial last block,
    /// with a column count that leaves a partial last band: every entry within 2e-5·√(SᵢᵢSⱼⱼ) of the naive
    /// scatter around the double mean, and the result exactly symmetric.
    /// </summary>
    [Theory]
    [InlineData(2500, 200, true)]
    [InlineData(700, 97, true)]
    [InlineData(1100, 5, false)]
    [InlineData(3, 130, false)]
    public void MatchesTheNaiveDoubleScatter(int rows, int columns, bool centre)
    {
        var rng = new Rng((ulong)(rows + columns));
        var x = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            // A shared factor makes columns correlated; the per-column offset makes the mean large.
            double factor = rng.NextGaussian();
            for (int c = 0; c < columns; c++)
            {
                double value = 120 + (c % 7 * 10) + (40 * factor * Math.Cos(c)) + (30 * rng.NextGaussian());
                x[(r * columns) + c] = (float)Math.Clamp(Math.Round(value), 0, 255);
            }
        }

        var mean = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                mean[c] += x[(r * columns) + c];
            }
        }

        for (int c = 0; c < columns; c++)
        {
            mean[c] /= rows;
        }

        var expected = new double[columns * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < columns; i++)
            {
                double a = x[(r * columns) + i] - (centre ? mean[i] : 0);
                for (int j = 0; j < columns; j++)
                {
                    expected[(i * columns) + j] += a * (x[(r * columns) + j] - (centre ? mean[j] : 0));
                }
            }
        }

        double[] actual = Moments.Scatter(x, rows, columns, centre ? Moments.ColumnMeans(x, rows, columns) : null);
        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double bound = 2e-5 * Math.Sqrt(expected[(i * columns) + i] * expected[(j * columns) + j]);
                double got = actual[(i * columns) + j];
                Assert.True(Math.Abs(got - expected[(i * columns) + j]) <= bound, $"[{i}, {j}]: {got} vs {expected[(i * columns) + j]}");
                Assert.Equal(got, actual[(j * columns) + i]);
            }
        }
    }
}
