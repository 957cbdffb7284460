using Latent.Tensors;

namespace Latent.Models;

/// <summary>The training-time corruption of a denoising autoencoder (Vincent et al. 2008).</summary>
public static class InputCorruption
{
    /// <summary>destination = corrupt(source): x + σ·ε for Gaussian noise, or x with each value zeroed with probability p.</summary>
    public static void Apply(NoiseKind kind, float level, ReadOnlySpan<float> source, Span<float> destination, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Corruption: source has {source.Length} values, destination {destination.Length}.", nameof(destination));
        }

        switch (kind)
        {
            case NoiseKind.None:
                source.CopyTo(destination);
                break;
            case NoiseKind.Gaussian:
                rng.FillNormal(destination, 0f, level);
                TensorPrimitives.Add(destination, source, destination);
                break;
            case NoiseKind.Mask:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = rng.NextFloat() < level ? 0f : source[i];
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown noise.");
        }
    }
}
