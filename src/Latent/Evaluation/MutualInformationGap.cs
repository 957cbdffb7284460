using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>The mutual information gap and what it is made of.</summary>
/// <param name="Score">MIG: the mean over factors of <paramref name="PerFactor"/> (0 … 1; 1 = each factor in one unit alone).</param>
/// <param name="PerFactor">The normalised gap of each factor (NaN for a factor that never varies, left out of the mean).</param>
/// <param name="MutualInformation">I(zⱼ; v_k) in nats, [latent j, factor k].</param>
/// <param name="FactorEntropy">H(v_k) in nats, per factor.</param>
/// <param name="Items">The items measured.</param>
/// <param name="Bins">The bins each code unit was discretised into.</param>
public sealed record MutualInformationGapResult(double Score, double[] PerFactor, double[,] MutualInformation, double[] FactorEntropy, int Items, int Bins);

/// <summary>
/// The mutual information gap (MIG) of Chen et al. (2018, "Isolating sources of disentanglement in VAEs"), with
/// discretised codes as in Locatello et al.'s disentanglement_lib: for each factor, how much more the most
/// informative code unit knows about it than the second most informative, relative to all there is to know.
/// </summary>
/// <remarks>
/// Each code unit zⱼ is cut into B equal-width bins between its smallest and largest value over the items.
/// With the empirical joint counts of the bin of zⱼ and the value of factor v_k,
/// I(zⱼ; v_k) = Σ p(a, b) log(p(a, b) / (p(a) p(b))) and H(v_k) = −Σ p(b) log p(b) (nats). Sorting
/// I(z₍₁₎; v_k) ≥ I(z₍₂₎; v_k) ≥ … over units, MIG = (1/K) Σ_k (I(z₍₁₎; v_k) − I(z₍₂₎; v_k)) / H(v_k), over
/// the K factors with H(v_k) &gt; 0. A code that copies each factor into its own unit scores near 1 (below 1
/// only where B is smaller than a factor's number of values, or by the estimate's small positive bias); a code
/// independent of the factors scores near 0.
/// </remarks>
public static class MutualInformationGap
{
    /// <summary>The default number of bins (disentanglement_lib's).</summary>
    public const int DefaultBins = 20;

    /// <summary>MIG of <paramref name="model"/>'s posterior means on <paramref name="items"/> items drawn uniformly from <paramref name="source"/>.</summary>
    public static MutualInformationGapResult Measure(Autoencoder model, IFactorSource source, int items = 10_000, int bins = DefaultBins, ulong seed = 0) =>
        Measure(FactorCodes.Of(model, source), source, items, bins, seed);

    /// <summary>MIG of the codes <paramref name="encode"/> gives <paramref name="items"/> items drawn uniformly from <paramref name="source"/>.</summary>
    public static MutualInformationGapResult Measure(Func<int[], Tensor> encode, IFactorSource source, int items = 10_000, int bins = DefaultBins, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(encode);
        FactorCodes.Check(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var rng = new Rng(seed);
        int factorCount = source.FactorSizes.Count;
        var indices = new int[items];
        Span<int> scratch = stackalloc int[factorCount];
        for (int i = 0; i < items; i++)
        {
            indices[i] = FactorCodes.RandomItem(source, rng, scratch);
        }

        var factors = new int[items * factorCount];
        source.CopyFactors(indices, factors);
        var codes = FactorCodes.Encode(encode, indices);
        return Measure(codes, factors, source.FactorSizes, bins);
    }

    /// <summary>
    /// MIG of <paramref name="codes"/> [n, latent] against the factor values <paramref name="factors"/>
    /// (n × K, row-major, factor k in 0 … <paramref name="factorSizes"/>[k] − 1).
    /// </summary>
    public static MutualInformationGapResult Measure(Tensor codes, ReadOnlySpan<int> factors, IReadOnlyList<int> factorSizes, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(factorSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        int n = codes.Rows, latent = codes.Columns, k = factorSizes.Count;
        if (codes.Rank != 2 || n < 2 || latent < 1 || k < 1 || factors.Length != n * k)
        {
            throw new ArgumentException($"MIG needs codes [n ≥ 2, latent ≥ 1] and n × {k} factor values; got {codes} and {factors.Length} values.", nameof(factors));
        }

        for (int i = 0; i < factors.Length; i++)
        {
            if (factors[i] < 0 || factors[i] >= factorSizes[i % k])
            {
                throw new ArgumentOutOfRangeException(nameof(factors), factors[i], $"Factor {i % k} of item {i / k} must lie in 0 … {factorSizes[i % k] - 1}.");
            }
        }

        var binned = Discretise(codes, bins);
        var entropy = new double[k];
        var information = new double[latent, k];
        for (int f = 0; f < k; f++)
        {
            var counts = new int[factorSizes[f]];
            for (int i = 0; i < n; i++)
            {
                counts[factors[(i * k) + f]]++;
            }

            entropy[f] = Entropy(counts, n);
            for (int j = 0; j < latent; j++)
            {
                information[j, f] = MutualInformation(binned, j, latent, bins, factors, f, k, factorSizes[f], n);
            }
        }

        var gaps = new double[k];
        double sum = 0;
        int used = 0;
        for (int f = 0; f < k; f++)
        {
            if (entropy[f] <= 0)
            {
                gaps[f] = double.NaN;
                continue;
            }

            double top = 0, second = 0;
            for (int j = 0; j < latent; j++)
            {
                double value = information[j, f];
                if (value > top)
                {
                    second = top;
                    top = value;
                }
                else if (value > second)
                {
                    second = value;
                }
            }

            gaps[f] = (top - second) / entropy[f];
            sum += gaps[f];
            used++;
        }

        if (used == 0)
        {
            throw new ArgumentException("MIG needs at least one factor that varies over the items; every factor is constant.", nameof(factors));
        }

        return new MutualInformationGapResult(sum / used, gaps, information, entropy, n, bins);
    }

    // Each unit cut into equal-width bins between its minimum and maximum (a constant unit falls in bin 0).
    private static int[] Discretise(Tensor codes, int bins)
    {
        int n = codes.Rows, latent = codes.Columns;
        var binned = new int[n * latent];
        for (int j = 0; j < latent; j++)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                float value = codes[i, j];
                if (!float.IsFinite(value))
                {
                    throw new ArgumentException($"Code unit {j} of item {i} is {value}; MIG needs finite codes.", nameof(codes));
                }

                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }

            double width = (max - (double)min) / bins;
            for (int i = 0; i < n; i++)
            {
                binned[(i * latent) + j] = width > 0 ? Math.Min(bins - 1, (int)((codes[i, j] - (double)min) / width)) : 0;
            }
        }

        return binned;
    }

    private static double MutualInformation(int[] binned, int unit, int latent, int bins, ReadOnlySpan<int> factors, int factor, int factorCount, int values, int n)
    {
        var joint = new int[bins * values];
        var unitCounts = new int[bins];
        var valueCounts = new int[values];
        for (int i = 0; i < n; i++)
        {
            int a = binned[(i * latent) + unit], b = factors[(i * factorCount) + factor];
            joint[(a * values) + b]++;
            unitCounts[a]++;
            valueCounts[b]++;
        }

        double information = 0;
        for (int a = 0; a < bins; a++)
        {
            for (int b = 0; b < values; b++)
            {
                int count = joint[(a * values) + b];
                if (count > 0)
                {
                    information += (double)count / n * Math.Log((double)count * n / ((double)unitCounts[a] * valueCounts[b]));
                }
            }
        }

        return Math.Max(0, information);
    }

    private static double Entropy(int[] counts, int n)
    {
        double entropy = 0;
        foreach (int count in counts)
        {
            if (count > 0)
            {
                double p = (double)count / n;
                entropy -= p * Math.Log(p);
            }
        }

        return entropy;
    }
}
