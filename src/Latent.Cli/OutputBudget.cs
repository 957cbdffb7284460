using System.Globalization;
using Latent.Serialization;

namespace Latent.Cli;

/// <summary>
/// The one check every command runs before allocating an output whose size an option sets (samples, steps, grid
/// side, filters, ...): items × values per item must fit one array and a share of the memory this process may use.
/// </summary>
internal static class OutputBudget
{
    // An output is held a few times over on its way out (the decoded floats, the codes, the image grid, the encoded
    // file), so one output may take at most this share of the memory available.
    private const long MemoryShare = 4;

    /// <summary>The most float values one output may hold: the array limit, and a quarter of the available memory.</summary>
    public static long MaxValues
    {
        get
        {
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            long byMemory = available > 0 ? available / MemoryShare / sizeof(float) : long.MaxValue;
            return Math.Min(FormatLimits.MaxElements, byMemory);
        }
    }

    /// <summary>
    /// Throws, naming <paramref name="option"/> and the limit, if <paramref name="items"/> outputs of
    /// <paramref name="valuesPerItem"/> values each would exceed <see cref="MaxValues"/>.
    /// </summary>
    /// <param name="option">The option (or options, e.g. "--steps × --mode both") that set the count.</param>
    /// <param name="items">The number of items the output will hold.</param>
    /// <param name="valuesPerItem">The values of each item (the model's inputs for a decoded item).</param>
    public static void Check(string option, long items, long valuesPerItem)
    {
        if (items < 0 || valuesPerItem < 0)
        {
            throw new ArgumentException($"{option}: a count of {items} items of {valuesPerItem} values is negative.");
        }

        long limit = MaxValues;
        // Checked in doubles: items × values may overflow a long for a hostile count.
        double values = (double)items * valuesPerItem;
        if (values > limit)
        {
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{option}: {items:N0} items × {valuesPerItem:N0} values = {values:N0} values is more than one output may hold ({limit:N0} values: at most {FormatLimits.MaxElements:N0} in one array and a quarter of the {available / (1024.0 * 1024 * 1024):F1} GiB of memory available); ask for fewer."));
        }
    }
}
