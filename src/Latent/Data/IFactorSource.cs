namespace Latent.Data;

/// <summary>
/// A data set generated from known factors of variation (shape, scale, rotation, position, ...): every item
/// is one combination of factor values, and the item of any combination can be drawn. The disentanglement
/// metrics read it to sample items with chosen factors and to learn each item's factors.
/// </summary>
/// <remarks>
/// Factor f takes the values 0 … <see cref="FactorSizes"/>[f] − 1 (indices into the factor's actual values);
/// <see cref="IndexOf"/> and <see cref="CopyFactors"/> are inverse to each other, so every combination of
/// factor values is exactly one item.
/// </remarks>
public interface IFactorSource : IFeatureSource
{
    /// <summary>The factors' names (e.g. "shape", "scale", "rotation", "x", "y").</summary>
    IReadOnlyList<string> FactorNames { get; }

    /// <summary>The number of values of each factor.</summary>
    IReadOnlyList<int> FactorSizes { get; }

    /// <summary>
    /// Copies the factor indices of items <paramref name="indices"/> into <paramref name="destination"/>
    /// (indices.Length × factor count, row-major).
    /// </summary>
    void CopyFactors(ReadOnlySpan<int> indices, Span<int> destination);

    /// <summary>The item whose factor indices are <paramref name="factors"/> (one per factor).</summary>
    int IndexOf(ReadOnlySpan<int> factors);
}
