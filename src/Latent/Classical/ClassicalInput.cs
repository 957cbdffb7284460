using Latent.Data;
using Latent.Tensors;

namespace Latent.Classical;

/// <summary>Checks of the data handed to the classical methods, with messages that name the problem.</summary>
internal static class ClassicalInput
{
    /// <summary>
    /// Checks that <paramref name="data"/> is a non-empty matrix (any tensor of rank 2 or more, seen as rows ×
    /// columns) of finite values, and returns its shape.
    /// </summary>
    public static (int Rows, int Columns) CheckMatrix(Tensor data, string paramName)
    {
        ArgumentNullException.ThrowIfNull(data, paramName);
        if (data.Rank < 2)
        {
            throw new ArgumentException($"The data must be a matrix of samples × features (rank 2 or more), not {data}.", paramName);
        }

        int rows = data.Rows, columns = data.Columns;
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException($"The data is empty ({data}).", paramName);
        }

        FiniteValues.Check(data, "The data", paramName);
        return (rows, columns);
    }

    /// <summary>
    /// The items of <paramref name="source"/> as blocks of rows (see <see cref="SourceBlocks"/>), checked non-empty;
    /// an in-memory source is checked as <see cref="CheckMatrix(Tensor, string)"/>, a streamed one block by block as
    /// the fit first reads it (<see cref="RowBlock.CheckFinite"/>), so that it is not read an extra time.
    /// </summary>
    public static SourceBlocks CheckSource(IFeatureSource source, string paramName)
    {
        ArgumentNullException.ThrowIfNull(source, paramName);
        switch (source)
        {
            case Dataset dataset:
                CheckMatrix(dataset.Features, paramName);
                break;
            case TensorSource tensor:
                CheckMatrix(tensor.Data, paramName);
                break;
            default:
                if (source.Count == 0 || source.Dimension == 0)
                {
                    throw new ArgumentException($"The data '{source.Name}' is empty ({source.Count} × {source.Dimension}).", paramName);
                }

                break;
        }

        return SourceBlocks.Of(source);
    }

    /// <summary>As <see cref="CheckMatrix(Tensor, string)"/>, and the number of features must be <paramref name="features"/>.</summary>
    public static int CheckMatrix(Tensor data, int features, string paramName)
    {
        (int rows, int columns) = CheckMatrix(data, paramName);
        if (columns != features)
        {
            throw new ArgumentException($"The data has {columns} features per sample; the model was fitted on {features}.", paramName);
        }

        return rows;
    }

    /// <summary>Throws if the number of components or clusters exceeds what the data can give.</summary>
    public static void CheckCount(int count, string what, int limit, string limitWhat, string paramName)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, $"The number of {what} must be at least 1, not {count}.");
        }

        if (count > limit)
        {
            throw new ArgumentException($"{count} {what} asked for, but the data has only {limit} {limitWhat}.", paramName);
        }
    }
}
