using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// The codes of items of a <see cref="IFactorSource"/>, as the disentanglement metrics read them: a function
/// from item indices to codes [n, latent]. For a model it draws the items and encodes them (the posterior
/// means of a variational model); any other function (a constructed code) can stand in for it.
/// </summary>
public static class FactorCodes
{
    /// <summary>The items drawn and encoded at once (bounds the memory of one call).</summary>
    public const int Chunk = 1024;

    /// <summary>The function that draws items of <paramref name="source"/> and encodes them with <paramref name="model"/>.</summary>
    public static Func<int[], Tensor> Of(Autoencoder model, IFactorSource source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Dimension != model.Inputs)
        {
            throw new ArgumentException($"Data '{source.Name}' have {source.Dimension} features per item; the model takes {model.Inputs}.", nameof(source));
        }

        return Of(source, model.Latent, model.Encode);
    }

    /// <summary>
    /// The function that draws items of <paramref name="source"/> and encodes them with an InfoGAN's recognition head:
    /// the means of its continuous codes (<see cref="AdversarialNetwork.InferCodes"/>' first columns).
    /// </summary>
    /// <exception cref="ArgumentException">The network has no continuous codes, or the items are not its size.</exception>
    public static Func<int[], Tensor> Of(AdversarialNetwork network, IFactorSource source) => RecognitionEncoder.Of(network, source);

    /// <summary>
    /// The function that draws items of <paramref name="source"/> in chunks of <see cref="Chunk"/> and maps each
    /// chunk of images [n, inputs] to codes [n, <paramref name="latent"/>] with <paramref name="encodeImages"/>.
    /// </summary>
    internal static Func<int[], Tensor> Of(IFactorSource source, int latent, Func<Tensor, Tensor> encodeImages) => items =>
    {
        ArgumentNullException.ThrowIfNull(items);
        var codes = Tensor.Zeros(items.Length, latent);
        for (int start = 0; start < items.Length; start += Chunk)
        {
            int count = Math.Min(Chunk, items.Length - start);
            var images = Tensor.Zeros(count, source.Dimension);
            source.CopyRows(items.AsSpan(start, count), images.Span);
            encodeImages(images).Span.CopyTo(codes.Span.Slice(start * latent, count * latent));
        }

        return codes;
    };

    /// <summary>Calls <paramref name="encode"/> and checks that it returned one code of the same length per item.</summary>
    internal static Tensor Encode(Func<int[], Tensor> encode, int[] items, int? latent = null)
    {
        var codes = encode(items) ?? throw new InvalidOperationException("The code function returned null.");
        if (codes.Rank != 2 || codes.Rows != items.Length || (latent is { } d && codes.Columns != d) || codes.Columns < 1)
        {
            throw new InvalidOperationException($"The code function returned {codes} for {items.Length} items; expected [{items.Length}, {(latent is { } l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "latent")}].");
        }

        return codes;
    }

    /// <summary>A uniformly random item: each factor's value drawn uniformly, factor <paramref name="fixedFactor"/> (if ≥ 0) set to <paramref name="fixedValue"/>.</summary>
    internal static int RandomItem(IFactorSource source, Rng rng, Span<int> factors, int fixedFactor = -1, int fixedValue = 0)
    {
        for (int f = 0; f < factors.Length; f++)
        {
            factors[f] = f == fixedFactor ? fixedValue : rng.NextInt(source.FactorSizes[f]);
        }

        return source.IndexOf(factors);
    }

    /// <summary>Throws unless <paramref name="source"/> has at least one factor and every factor at least one value.</summary>
    internal static void Check(IFactorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.FactorSizes.Count == 0 || source.FactorSizes.Count != source.FactorNames.Count || source.FactorSizes.Any(s => s < 1))
        {
            throw new ArgumentException($"Data '{source.Name}' must name at least one factor and give each at least one value (sizes {string.Join(", ", source.FactorSizes)}).", nameof(source));
        }
    }
}
