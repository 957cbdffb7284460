namespace Latent.Optim;

/// <summary>The settings a schedule of <see cref="OptimizerRegistry"/> may read.</summary>
/// <param name="Epochs">The run's length in epochs (cosine anneals over it).</param>
/// <param name="DecayEvery">Epochs between decays of the step schedule.</param>
/// <param name="DecayFactor">The factor of each decay of the step schedule.</param>
public readonly record struct ScheduleSettings(int Epochs, int DecayEvery, float DecayFactor);
