namespace Latent.Optim;

/// <summary>The learning-rate schedules a training run can use (per epoch); <see cref="OptimizerRegistry"/> describes and builds each.</summary>
public enum ScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary><see cref="Optim.Cosine"/>: cosine annealing to 0 over the run's epochs.</summary>
    Cosine,

    /// <summary><see cref="StepDecay"/>: the rate times a factor every few epochs.</summary>
    Step,
}
