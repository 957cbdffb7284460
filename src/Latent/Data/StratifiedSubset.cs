using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// A seeded subset of n items of a data set: stratified by class when it has labels (each class keeps its
/// share, within one item), a uniform random sample when it has none.
/// </summary>
/// <remarks>
/// Class c of size N_c out of N gets ⌊n N_c / N⌋ items, and the items left over go to the classes with the
/// largest remainders (ties to the smaller label), so every class is within ±1 of n N_c / N. The members of
/// each class are drawn by a seeded shuffle; the chosen indices are returned in increasing order. The same
/// seed gives the same subset.
/// </remarks>
public static class StratifiedSubset
{
    /// <summary>The indices of a subset of <paramref name="count"/> items of <paramref name="source"/>, in increasing order.</summary>
    public static int[] Indices(IFeatureSource source, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (count <= 0 || count > source.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{source.Name} has {source.Count:N0} items; a subset takes 1 to {source.Count:N0}.");
        }

        var rng = new Rng(seed);
        if (!source.HasLabels)
        {
            var order = rng.Permutation(source.Count);
            var chosen = order.AsSpan(0, count).ToArray();
            Array.Sort(chosen);
            return chosen;
        }

        var labels = new int[source.Count];
        source.CopyLabels(Enumerable.Range(0, source.Count).ToArray(), labels);
        var classes = Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        var quotas = classes.Select(members => (double)count * members.Length / labels.Length).ToArray();
        var takes = quotas.Select(q => (int)Math.Floor(q)).ToArray();
        int left = count - takes.Sum();
        foreach (int c in Enumerable.Range(0, classes.Length).OrderByDescending(c => quotas[c] - takes[c]).ThenBy(c => c).Take(left))
        {
            takes[c]++;
        }

        var result = new List<int>(count);
        for (int c = 0; c < classes.Length; c++)
        {
            var members = classes[c];
            rng.Shuffle<int>(members);
            result.AddRange(members.Take(takes[c]));
        }

        var indices = result.ToArray();
        Array.Sort(indices);
        return indices;
    }
}
