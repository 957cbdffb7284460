using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// What a <see cref="TrainingTarget"/> needs for one step: the tape and the noise stream, the guard that stops a
/// diverging run with a clear error, and the update (zero the gradients, backward, clip, step). One per run, reused.
/// </summary>
internal sealed class TrainingStep(Tape tape, Rng noise, float clipNorm, double lossScale, bool guardsExplosion)
{
    /// <summary>The step's tape (reset by the loop after the step).</summary>
    public Tape Tape { get; } = tape;

    /// <summary>The run's training-noise stream.</summary>
    public Rng Noise { get; } = noise;

    /// <summary>The epoch of the step, from 1.</summary>
    public int Epoch { get; set; }

    /// <summary>The step within the epoch, from 0.</summary>
    public int Number { get; set; }

    /// <summary>The learning rate of the epoch (for messages).</summary>
    public float Rate { get; set; }

    /// <summary>The lowest batch loss so far (the explosion guard's reference).</summary>
    public double BestBatch { get; set; } = double.PositiveInfinity;

    /// <summary>The last checkpoint written, named in a divergence error.</summary>
    public string? LastCheckpoint { get; set; }

    /// <summary>
    /// Throws <see cref="TrainingDivergedException"/> (resetting <paramref name="tape"/>) when <paramref name="loss"/>
    /// is NaN or infinite, or far above the best batch loss so far when the target guards explosions.
    /// </summary>
    public void Check(double loss, Tape tape)
    {
        if (!double.IsFinite(loss))
        {
            tape.Reset();
            throw new TrainingDivergedException(Epoch, Number + 1, loss, LastCheckpoint);
        }

        if (guardsExplosion)
        {
            if (Trainer.Exploded(loss, BestBatch, lossScale, Trainer.BatchExplosion))
            {
                tape.Reset();
                throw new TrainingDivergedException(Epoch, Number + 1, loss, BestBatch, Rate, LastCheckpoint);
            }

            BestBatch = Math.Min(BestBatch, loss);
        }
    }

    /// <summary>One gradient step of <paramref name="optimizer"/> on <paramref name="loss"/>, recorded on <paramref name="tape"/>.</summary>
    public void Update(Tape tape, Var loss, Optimizer optimizer)
    {
        optimizer.ZeroGrad();
        tape.Backward(loss);
        if (clipNorm > 0)
        {
            GradientClipping.ClipByGlobalNorm(optimizer.Parameters, clipNorm);
        }

        optimizer.Step();
    }
}
