using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>
/// The rows a Gaussian mixture's EM works on: the data less its mean (the offset), and for the diagonal and
/// spherical forms the stacked rows [x², x, 1] (<see cref="DiagonalMixtureEm"/>). In memory both are copied
/// once; a streamed source is centred (and stacked) block by block as it is read, at every pass, so that what
/// stays in memory grows with n only as the n × k responsibilities.
/// </summary>
/// <remarks>
/// The fixed row blocks of <see cref="RowBlocks.Size"/> rows, and the blocks of <see cref="ScatterRows"/> rows
/// of the full covariances' weighted scatter, are counted from the first row either way (a streamed block holds
/// whole blocks of both), so sums reduced in block order are bitwise those of the in-memory fit.
/// </remarks>
internal sealed class GaussianMixtureRows
{
    /// <summary>Rows per float GEMM of a full covariance's weighted scatter (a streamed block holds whole ones).</summary>
    public const int ScatterRows = 2 * RowBlocks.Size;

    private readonly float[]? _stacked;
    private readonly bool _stack;
    private float[]? _buffer;
    private double[]? _scatter;

    private GaussianMixtureRows(SourceBlocks x, float[] offset, float[]? stacked, bool stack)
    {
        X = x;
        Offset = offset;
        _stacked = stacked;
        _stack = stack;
    }

    /// <summary>The centred rows: a copy in memory, otherwise a view that centres each block as it is read.</summary>
    public SourceBlocks X { get; }

    /// <summary>The column means subtracted (in float).</summary>
    public float[] Offset { get; }

    /// <summary>The number of rows.</summary>
    public int Rows => X.Rows;

    /// <summary>The number of features.</summary>
    public int Columns => X.Columns;

    /// <summary>
    /// The rows of <paramref name="source"/> as blocks for the mixture's passes: one block in memory, otherwise
    /// streamed blocks of a whole number of <see cref="ScatterRows"/> rows (about <see cref="SourceBlocks.BlockBytes"/>).
    /// </summary>
    public static SourceBlocks Blocks(IFeatureSource source, string paramName)
    {
        SourceBlocks data = ClassicalInput.CheckSource(source, paramName);
        if (data.InMemory)
        {
            return data;
        }

        int rows = SourceBlocks.StreamedBlockRows(data.Columns);
        return SourceBlocks.Of(source, (rows + ScatterRows - 1) / ScatterRows * ScatterRows);
    }

    /// <summary>The rows of <paramref name="data"/> less their column means; stacked too when <paramref name="stack"/>.</summary>
    /// <remarks>The first pass over a streamed source (the means) checks every value finite.</remarks>
    public static GaussianMixtureRows Centre(SourceBlocks data, bool stack)
    {
        int n = data.Rows, d = data.Columns;
        float[] offset = DenseMath.ToFloat(Moments.ColumnMeans(data));
        if (!data.InMemory)
        {
            return new GaussianMixtureRows(data.Shifted(offset), offset, null, stack);
        }

        float[]? x = null;
        data.ForEach(block => x = KMeans.Centre(block.Array, n, d, offset));
        return new GaussianMixtureRows(SourceBlocks.Of(x!, n, d), offset, stack ? DiagonalMixtureEm.Stack(x!, n, d) : null, stack);
    }

    /// <summary>Σᵢ xᵢxᵢᵀ of the centred rows (a copy; taken once, as it does not change between M-steps).</summary>
    public double[] Scatter() => (double[])(_scatter ??= Moments.Scatter(X, null)).Clone();

    /// <summary>
    /// Runs <paramref name="body"/>(stacked, b, start, count, state) on every fixed row block b (numbered over the
    /// whole data) of the stacked rows, which are count rows from row
    /// start of the array given; the row blocks of each block in parallel, with a state per thread.
    /// </summary>
    public void ForEachStacked<TState>(Func<TState> create, Action<float[], int, int, int, TState> body)
    {
        if (!_stack)
        {
            throw new InvalidOperationException("Only the diagonal and spherical forms work on stacked rows.");
        }

        X.ForEach(block =>
        {
            // A streamed block's stacked rows go to one buffer, kept for every pass.
            float[] stacked = _stacked ?? (_buffer ??= new float[Math.Min(X.BlockRows, Rows) * DiagonalMixtureEm.Stride(Columns)]);
            if (_stacked is null)
            {
                DiagonalMixtureEm.Stack(block.Array, block.Offset, block.Count, Columns, stacked);
            }

            int first = block.Start / RowBlocks.Size;
            RowBlocks.ForEach(block.Count, create, (b, start, end, state) => body(stacked, first + b, start, end - start, state));
        });
    }
}
