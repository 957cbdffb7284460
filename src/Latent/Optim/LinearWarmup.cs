namespace Latent.Optim;

/// <summary>A linear ramp up to the base rate over the first steps, then another schedule.</summary>
/// <remarks>
/// η_t = η₀ · (t + 1) / W for t &lt; W (so the first step already moves), then η_t = then(η₀, t − W): the
/// following schedule starts from its own step 0 when the warm-up ends (the constant η₀ when there is none).
/// </remarks>
public sealed class LinearWarmup : ILearningRateSchedule
{
    /// <summary>A warm-up of <paramref name="warmupSteps"/> steps followed by <paramref name="then"/> (null: the constant base rate).</summary>
    public LinearWarmup(int warmupSteps, ILearningRateSchedule? then = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        WarmupSteps = warmupSteps;
        Then = then;
    }

    /// <summary>W, the length of the warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule after the warm-up, or null for the constant base rate.</summary>
    public ILearningRateSchedule? Then { get; }

    /// <inheritdoc/>
    public float Rate(float baseRate, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return (float)((double)baseRate * (step + 1) / WarmupSteps);
        }

        return Then?.Rate(baseRate, step - WarmupSteps) ?? baseRate;
    }
}
