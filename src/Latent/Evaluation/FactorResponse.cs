using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// The mean code of each latent unit as a function of chosen generative factors, averaged over the others:
/// the β-VAE paper's figure 7 plots it against position (a 32×32 map), scale and rotation.
/// </summary>
/// <param name="Factors">The chosen factors (indices into the source's factors), slowest-varying first.</param>
/// <param name="Sizes">Their numbers of values.</param>
/// <param name="Means">The mean code, [cell, latent]; cells run row-major over the chosen factors' values.</param>
/// <param name="SamplesPerCell">Items averaged per cell.</param>
/// <remarks>
/// For each combination c of values of the chosen factors, m(c) = (1/S) Σₛ z(vₛ), where the items vₛ have the
/// chosen factors at c and every other factor drawn uniformly, and z is the code (the posterior mean of a
/// variational model).
/// </remarks>
public sealed record FactorResponse(IReadOnlyList<int> Factors, IReadOnlyList<int> Sizes, double[,] Means, int SamplesPerCell)
{
    /// <summary>The number of cells (the product of <see cref="Sizes"/>).</summary>
    public int Cells => Means.GetLength(0);

    /// <summary>The number of latent units.</summary>
    public int Latent => Means.GetLength(1);

    /// <summary>The mean of unit <paramref name="unit"/> over every cell, in cell order.</summary>
    public double[] Curve(int unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, Latent);
        return Enumerable.Range(0, Cells).Select(c => Means[c, unit]).ToArray();
    }

    /// <summary>The mean of unit <paramref name="unit"/> over two chosen factors as a map [value of the first, value of the second].</summary>
    public double[,] Map(int unit)
    {
        if (Sizes.Count != 2)
        {
            throw new InvalidOperationException($"A map needs two chosen factors; this response has {Sizes.Count}.");
        }

        var curve = Curve(unit);
        var map = new double[Sizes[0], Sizes[1]];
        for (int a = 0; a < Sizes[0]; a++)
        {
            for (int b = 0; b < Sizes[1]; b++)
            {
                map[a, b] = curve[(a * Sizes[1]) + b];
            }
        }

        return map;
    }

    /// <summary>The response of <paramref name="model"/>'s posterior means to <paramref name="factors"/> of <paramref name="source"/>.</summary>
    public static FactorResponse Measure(Autoencoder model, IFactorSource source, IReadOnlyList<int> factors, int samplesPerCell = 8, ulong seed = 0) =>
        Measure(FactorCodes.Of(model, source), source, factors, samplesPerCell, seed);

    /// <summary>The response of the codes <paramref name="encode"/> gives to <paramref name="factors"/> of <paramref name="source"/>.</summary>
    public static FactorResponse Measure(Func<int[], Tensor> encode, IFactorSource source, IReadOnlyList<int> factors, int samplesPerCell = 8, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArgumentNullException.ThrowIfNull(factors);
        FactorCodes.Check(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerCell, 1);
        int factorCount = source.FactorSizes.Count;
        if (factors.Count == 0 || factors.Distinct().Count() != factors.Count || factors.Any(f => f < 0 || f >= factorCount))
        {
            throw new ArgumentException($"Choose one or more distinct factors among 0 … {factorCount - 1} ({string.Join(", ", source.FactorNames)}); got {string.Join(", ", factors)}.", nameof(factors));
        }

        var sizes = factors.Select(f => source.FactorSizes[f]).ToArray();
        long cellCount = sizes.Aggregate(1L, (a, b) => a * b);
        if (cellCount * samplesPerCell > 10_000_000)
        {
            throw new ArgumentException($"{cellCount:N0} cells × {samplesPerCell} samples is too many items to encode; choose fewer factors or samples.", nameof(samplesPerCell));
        }

        int cells = (int)cellCount;
        var rng = new Rng(seed);
        var values = new int[factorCount];
        var items = new int[cells * samplesPerCell];
        for (int c = 0; c < cells; c++)
        {
            for (int s = 0; s < samplesPerCell; s++)
            {
                for (int f = 0; f < factorCount; f++)
                {
                    values[f] = rng.NextInt(source.FactorSizes[f]);
                }

                int rest = c;
                for (int i = factors.Count - 1; i >= 0; i--)
                {
                    values[factors[i]] = rest % sizes[i];
                    rest /= sizes[i];
                }

                items[(c * samplesPerCell) + s] = source.IndexOf(values);
            }
        }

        var codes = FactorCodes.Encode(encode, items);
        int latent = codes.Columns;
        var means = new double[cells, latent];
        for (int c = 0; c < cells; c++)
        {
            for (int s = 0; s < samplesPerCell; s++)
            {
                var row = codes.Row((c * samplesPerCell) + s);
                for (int j = 0; j < latent; j++)
                {
                    means[c, j] += row[j] / (double)samplesPerCell;
                }
            }
        }

        return new FactorResponse(factors.ToArray(), sizes, means, samplesPerCell);
    }
}
