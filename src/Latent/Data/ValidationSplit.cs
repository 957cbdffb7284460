using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Which items of a data set are held out for validation: the one rule of <see cref="Dataset.Split"/>, also used
/// for data that is not held in memory (whose splits are <see cref="SourceSubset"/> views).
/// </summary>
public static class ValidationSplit
{
    /// <summary>
    /// The training and validation items of a data set of <paramref name="count"/> items: a random
    /// <paramref name="validationFraction"/> of them, or of every class when <paramref name="labels"/> are given
    /// (then both parts are shuffled again, so that any prefix of a part is a fair sample).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1.</exception>
    public static (int[] Train, int[] Validation) Indices(int count, IReadOnlyList<int>? labels, double validationFraction, ulong seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction lies strictly between 0 and 1.");
        }

        var rng = new Rng(seed);
        var train = new List<int>();
        var validation = new List<int>();
        if (labels is null)
        {
            var order = rng.Permutation(count);
            int take = (int)Math.Round(validationFraction * count);
            validation.AddRange(order.Take(take));
            train.AddRange(order.Skip(take));
            return (train.ToArray(), validation.ToArray());
        }

        foreach (var group in Enumerable.Range(0, count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle<int>(members);
            int take = (int)Math.Round(validationFraction * members.Length);
            validation.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }

        // Interleave the classes again, so that any prefix of a split is a fair sample.
        var trainArray = train.ToArray();
        var validationArray = validation.ToArray();
        rng.Shuffle<int>(trainArray);
        rng.Shuffle<int>(validationArray);
        return (trainArray, validationArray);
    }

    /// <summary>
    /// The training and validation parts of <paramref name="source"/> by <see cref="Indices"/> (stratified by its
    /// labels when it has them): <see cref="Dataset.Split"/> for a data set in memory, views of the source otherwise.
    /// </summary>
    public static (IFeatureSource Train, IFeatureSource Validation) Split(IFeatureSource source, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is Dataset dataset)
        {
            return dataset.Split(validationFraction, seed);
        }

        int[]? labels = null;
        if (source.HasLabels)
        {
            labels = new int[source.Count];
            source.CopyLabels(Enumerable.Range(0, source.Count).ToArray(), labels);
        }

        (int[] train, int[] validation) = Indices(source.Count, labels, validationFraction, seed);
        return (new SourceSubset(source, train, $"{source.Name}/train"), new SourceSubset(source, validation, $"{source.Name}/validation"));
    }
}
