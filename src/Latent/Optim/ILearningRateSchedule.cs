namespace Latent.Optim;

/// <summary>A learning rate as a function of the step (or epoch) count.</summary>
/// <remarks>
/// A schedule is stateless: <c>optimizer.LearningRate = schedule.Rate(baseRate, t)</c> before step t gives the
/// same rate whether training runs straight through or resumes from a checkpoint.
/// </remarks>
public interface ILearningRateSchedule
{
    /// <summary>The rate at step (or epoch) <paramref name="step"/>, counting from 0, for a base rate of <paramref name="baseRate"/>.</summary>
    float Rate(float baseRate, int step);
}
