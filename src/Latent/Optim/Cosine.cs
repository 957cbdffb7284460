namespace Latent.Optim;

/// <summary>Cosine annealing from the base rate to a minimum over a number of steps (PyTorch's CosineAnnealingLR).</summary>
/// <remarks>
/// η_t = η_min + ½(η₀ − η_min)(1 + cos(π·t / T)) for t ≤ T, and η_min after T (PyTorch's closed form would
/// rise again; a finished anneal stays at its minimum here).
/// </remarks>
public sealed class Cosine : ILearningRateSchedule
{
    /// <summary>An anneal over <paramref name="total"/> steps down to <paramref name="minRate"/>.</summary>
    public Cosine(int total, float minRate = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        if (!(minRate >= 0f && float.IsFinite(minRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "The minimum rate must be finite and non-negative.");
        }

        Total = total;
        MinRate = minRate;
    }

    /// <summary>T, the length of the anneal.</summary>
    public int Total { get; }

    /// <summary>η_min.</summary>
    public float MinRate { get; }

    /// <inheritdoc/>
    public float Rate(float baseRate, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double t = Math.Min(step, Total);
        return (float)(MinRate + (0.5 * (baseRate - MinRate) * (1.0 + Math.Cos(Math.PI * t / Total))));
    }
}
