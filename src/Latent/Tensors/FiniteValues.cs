using System.Numerics.Tensors;

namespace Latent.Tensors;

/// <summary>
/// The one finiteness check of data and weights: every entry point that takes numbers from outside (data sets,
/// model files) calls it, so a NaN or an infinity is named where it is instead of poisoning what follows.
/// </summary>
internal static class FiniteValues
{
    /// <summary>
    /// Throws when a value of <paramref name="values"/>, seen as rows of <paramref name="columns"/>, is NaN or
    /// infinite; the message names <paramref name="what"/>, the value, its row and its column.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not finite (for the argument <paramref name="paramName"/> when given).</exception>
    public static void Check(ReadOnlySpan<float> values, int columns, string what, string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(what);
        if (FirstNonFinite(values) is int index)
        {
            throw new ArgumentException($"{what} holds {values[index]} at row {index / columns}, column {index % columns}; every value must be finite.", paramName);
        }
    }

    /// <summary>As <see cref="Check(ReadOnlySpan{float}, int, string, string?)"/> for a tensor's rows and columns.</summary>
    public static void Check(Tensor tensor, string what, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Length > 0)
        {
            Check(tensor.Span, tensor.Rank < 2 ? tensor.Length : tensor.Columns, what, paramName);
        }
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or null when all are finite.</summary>
    public static int? FirstNonFinite(ReadOnlySpan<float> values)
    {
        const int Block = 4096;
        for (int start = 0; start < values.Length; start += Block)
        {
            var block = values.Slice(start, Math.Min(Block, values.Length - start));

            // A NaN or ±∞ makes the block's (vectorised) sum non-finite; only then is the block scanned, so a
            // sum that merely overflowed is scanned too and passes.
            if (float.IsFinite(TensorPrimitives.Sum(block)))
            {
                continue;
            }

            for (int i = 0; i < block.Length; i++)
            {
                if (!float.IsFinite(block[i]))
                {
                    return start + i;
                }
            }
        }

        return null;
    }
}
