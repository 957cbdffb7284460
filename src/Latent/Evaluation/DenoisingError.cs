using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// How well an autoencoder removes noise (Note B's denoising autoencoder): clean items x are corrupted,
/// x̃ = x + ε with ε ~ N(0, σ²I) (or masked), the model reconstructs x̂ = f(g(x̃)), and x̂ is compared with the
/// clean x, beside the corrupted input's own error.
/// </summary>
/// <param name="Noisy">The corrupted inputs x̃ [n, inputs].</param>
/// <param name="Outputs">The model's outputs x̂ for them [n, inputs] (the means of p(x | z)).</param>
/// <param name="NoisyError">‖x̃ − x‖² per item: the error before denoising.</param>
/// <param name="OutputError">‖x̂ − x‖² per item: the error after.</param>
public sealed record DenoisingError(Tensor Noisy, Tensor Outputs, double[] NoisyError, double[] OutputError)
{
    /// <summary>The mean of <see cref="NoisyError"/>.</summary>
    public double MeanNoisyError => NoisyError.Average();

    /// <summary>The mean of <see cref="OutputError"/>.</summary>
    public double MeanOutputError => OutputError.Average();

    /// <summary>Corrupts <paramref name="clean"/> [n, inputs] with <paramref name="noise"/> at <paramref name="level"/> and measures <paramref name="model"/>'s outputs against it.</summary>
    /// <param name="model">The autoencoder.</param>
    /// <param name="clean">The clean items, at least one.</param>
    /// <param name="noise">The corruption (<see cref="NoiseKind.Gaussian"/>: σ = level; <see cref="NoiseKind.Mask"/>: each value zeroed with probability level).</param>
    /// <param name="level">σ or the masking probability (≥ 0).</param>
    /// <param name="rng">The noise's random numbers.</param>
    public static DenoisingError Measure(Autoencoder model, Tensor clean, NoiseKind noise, float level, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        if (noise == NoiseKind.Mask && level > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A masking probability must lie in [0, 1].");
        }

        if (clean.Rank != 2 || clean.Columns != model.Inputs || clean.Rows < 1)
        {
            throw new ArgumentException($"Clean items [{string.Join(", ", clean.Shape)}] must be a non-empty matrix of {model.Inputs} columns (the model's inputs).", nameof(clean));
        }

        var noisy = Tensor.Zeros(clean.Rows, clean.Columns);
        InputCorruption.Apply(noise, level, clean.Span, noisy.Span, rng);
        var outputs = model.Reconstruct(noisy);
        return new DenoisingError(noisy, outputs, SquaredErrors(noisy, clean), SquaredErrors(outputs, clean));
    }

    private static double[] SquaredErrors(Tensor a, Tensor b)
    {
        var errors = new double[a.Rows];
        for (int i = 0; i < errors.Length; i++)
        {
            ReadOnlySpan<float> x = a.Row(i), y = b.Row(i);
            double sum = 0;
            for (int j = 0; j < x.Length; j++)
            {
                double difference = x[j] - (double)y[j];
                sum += difference * difference;
            }

            errors[i] = sum;
        }

        return errors;
    }
}
