namespace Latent.Optim;

/// <summary>The rate multiplied by γ every <c>stepSize</c> steps (PyTorch's StepLR).</summary>
/// <remarks>η_t = η₀ · γ^⌊t / stepSize⌋.</remarks>
public sealed class StepDecay : ILearningRateSchedule
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepDecay(int stepSize, float gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma >= 0f && float.IsFinite(gamma)))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The decay factor must be finite and non-negative.");
        }

        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor applied at each decay.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public float Rate(float baseRate, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return (float)(baseRate * Math.Pow(Gamma, step / StepSize));
    }
}
