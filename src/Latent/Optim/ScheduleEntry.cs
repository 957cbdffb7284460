namespace Latent.Optim;

/// <summary>One row of the schedule table of <see cref="OptimizerRegistry"/>.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">The name on the command line and in JSON ("constant", "cosine", "step").</param>
/// <param name="Description">A few words for help text.</param>
/// <param name="Create">Builds the per-epoch schedule, or null for the constant base rate.</param>
public sealed record ScheduleEntry(ScheduleKind Kind, string Name, string Description, Func<ScheduleSettings, ILearningRateSchedule?> Create);
