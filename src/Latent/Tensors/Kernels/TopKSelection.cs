namespace Latent.Tensors.Kernels;

/// <summary>Which entries of a row are among its k largest.</summary>
/// <remarks>
/// Quickselect finds v, the k-th largest value, in expected linear time; every entry above v is kept, then
/// entries equal to v in index order until k are kept, so ties go to the lower index.
/// </remarks>
internal static class TopKSelection
{
    /// <summary>mask[j] = 1 if row[j] is among the k largest entries of the row, else 0.</summary>
    /// <param name="row">The values (NaN is not allowed).</param>
    /// <param name="k">How many to keep, 0 to row.Length.</param>
    /// <param name="mask">The output, as long as the row.</param>
    /// <param name="scratch">Working space, at least as long as the row.</param>
    public static void Mask(ReadOnlySpan<float> row, int k, Span<float> mask, Span<float> scratch)
    {
        int n = row.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (mask.Length != n)
        {
            throw new ArgumentException($"The mask holds {mask.Length} elements; the row has {n}.", nameof(mask));
        }

        if (k == n)
        {
            mask.Fill(1f);
            return;
        }

        if (k == 0)
        {
            mask.Clear();
            return;
        }

        var work = scratch[..n];
        row.CopyTo(work);
        float v = SelectDescending(work, k - 1);
        int above = 0;
        for (int j = 0; j < n; j++)
        {
            if (row[j] > v)
            {
                above++;
            }
        }

        int equalToKeep = k - above;
        for (int j = 0; j < n; j++)
        {
            float x = row[j];
            if (x > v)
            {
                mask[j] = 1f;
            }
            else if (x == v && equalToKeep > 0)
            {
                mask[j] = 1f;
                equalToKeep--;
            }
            else
            {
                mask[j] = 0f;
            }
        }
    }

    /// <summary>The value that would sit at <paramref name="index"/> if <paramref name="values"/> were sorted descending (reorders them).</summary>
    private static float SelectDescending(Span<float> values, int index)
    {
        int low = 0, high = values.Length - 1;
        while (low < high)
        {
            // Median of three as the pivot guards against sorted and reverse-sorted rows.
            int middle = low + ((high - low) / 2);
            float a = values[low], b = values[middle], c = values[high];
            float pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
            int i = low, j = high;
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }

                while (values[j] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (index <= j)
            {
                high = j;
            }
            else if (index >= i)
            {
                low = i;
            }
            else
            {
                return values[index];
            }
        }

        return values[index];
    }
}
