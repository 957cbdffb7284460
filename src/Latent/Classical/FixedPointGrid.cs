using System.Numerics;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// Sums of samples that do not depend on the order of their terms: every feature is cut (toward zero) to a
/// fixed-point grid of its own column and summed as a 64-bit integer.
/// </summary>
/// <remarks>
/// Integer addition is associative, so a cluster sum kept up to date by adding and removing the samples that
/// changed cluster is bitwise the sum recomputed from scratch: the bounded Lloyd iterations (which touch only
/// those samples) then move the centres exactly as the plain ones. Column c's grid step is 2^−s_c, with s_c the
/// largest exponent for which (n + 1)·max|x_c|·2^s_c stays below 2^62, so no partial sum can overflow; the step
/// is about n·2^−61 of the column's largest magnitude (2.6·10⁻¹⁴ of it for n = 60,000), far below what a float
/// sum of the same terms loses.
/// </remarks>
internal sealed class FixedPointGrid
{
    private readonly double[] _scale;
    private readonly double[] _step;

    public FixedPointGrid(float[] x, int n, int d)
        : this(SourceBlocks.Of(x, n, d))
    {
    }

    /// <summary>The grid of the rows of <paramref name="x"/>, read block by block.</summary>
    public FixedPointGrid(SourceBlocks x)
    {
        int n = x.Rows, d = x.Columns;
        var partial = new float[RowBlocks.Count(n)][];
        x.ForEachRowBlock((block, b, start, end) =>
        {
            var largest = new float[d];
            var magnitude = new float[d];
            for (int i = start; i < end; i++)
            {
                TensorPrimitives.Abs(block.Row(i), magnitude);
                TensorPrimitives.Max(largest, magnitude, largest);
            }

            partial[b] = largest;
        });
        _scale = new double[d];
        _step = new double[d];
        for (int c = 0; c < d; c++)
        {
            float largest = 0;
            foreach (float[] p in partial)
            {
                largest = Math.Max(largest, p[c]);
            }

            // (n + 1)·max < 2^(e + 1), so (n + 1)·max·2^(61 − e) < 2^62.
            int exponent = largest == 0 ? 0 : 61 - Math.ILogB((n + 1.0) * largest);
            _scale[c] = Math.ScaleB(1.0, exponent);
            _step[c] = Math.ScaleB(1.0, -exponent);
        }
    }

    /// <summary>Number of features.</summary>
    public int Features => _scale.Length;

    /// <summary>Adds <paramref name="row"/>, on the grid, to <paramref name="sum"/>.</summary>
    public void Add(ReadOnlySpan<float> row, Span<long> sum) => Accumulate(row, sum, negate: false);

    /// <summary>Subtracts <paramref name="row"/>, on the grid, from <paramref name="sum"/>.</summary>
    public void Subtract(ReadOnlySpan<float> row, Span<long> sum) => Accumulate(row, sum, negate: true);

    /// <summary>The mean of <paramref name="count"/> samples whose grid sum is <paramref name="sum"/>, as floats.</summary>
    public void Mean(ReadOnlySpan<long> sum, long count, Span<float> mean)
    {
        for (int c = 0; c < mean.Length; c++)
        {
            mean[c] = (float)(sum[c] * _step[c] / count);
        }
    }

    private void Accumulate(ReadOnlySpan<float> row, Span<long> sum, bool negate)
    {
        int d = Features, c = 0;
        ReadOnlySpan<double> scale = _scale;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count, half = Vector<double>.Count;
            for (; c <= d - width; c += width)
            {
                // float → double and a power-of-two scale are exact; the conversion cuts toward zero, as the scalar cast.
                Vector.Widen(new Vector<float>(row[c..]), out Vector<double> low, out Vector<double> high);
                Vector<long> qLow = Vector.ConvertToInt64(low * new Vector<double>(scale[c..]));
                Vector<long> qHigh = Vector.ConvertToInt64(high * new Vector<double>(scale[(c + half)..]));
                Span<long> sLow = sum[c..], sHigh = sum[(c + half)..];
                if (negate)
                {
                    (new Vector<long>(sLow) - qLow).CopyTo(sLow);
                    (new Vector<long>(sHigh) - qHigh).CopyTo(sHigh);
                }
                else
                {
                    (new Vector<long>(sLow) + qLow).CopyTo(sLow);
                    (new Vector<long>(sHigh) + qHigh).CopyTo(sHigh);
                }
            }
        }

        for (; c < d; c++)
        {
            long q = (long)(row[c] * scale[c]);
            sum[c] += negate ? -q : q;
        }
    }
}
