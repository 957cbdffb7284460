using Latent.Data;
using Latent.Models;
using Latent.Nn;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Training;

/// <summary>
/// What <see cref="TrainingLoop"/> trains: a model, its optimizers and one training step on a batch. The loop owns
/// everything else (epochs, batches, schedule, validation, the NaN and explosion guards, checkpoints, resume), so an
/// autoencoder and an adversarial network share it.
/// </summary>
internal abstract class TrainingTarget : IDisposable
{
    /// <summary>The model whose state dict, parameters and training mode the loop handles.</summary>
    public abstract Module Model { get; }

    /// <summary>Values per item of the data.</summary>
    public abstract int Inputs { get; }

    /// <summary>The smallest scale of the loss for the explosion guard (a loss summed over an item's features: their count).</summary>
    public abstract double LossScale { get; }

    /// <summary>Whether losses that leap far above the best so far stop the run (not for a two-player game, whose losses are not minimised).</summary>
    public virtual bool GuardsExplosion => true;

    /// <summary>The loss terms the model's history records (<see cref="TrainingHistory.TermNames"/>).</summary>
    public virtual IReadOnlyList<string> TermNames => LossTerms.Names;

    /// <summary>The optimizers, each with the prefix of its entries in a checkpoint ("" for a lone optimizer) and its base learning rate.</summary>
    public abstract IReadOnlyList<TargetOptimizer> Optimizers { get; }

    /// <summary>One training step on <paramref name="batch"/>: forward, <see cref="TrainingStep.Check"/> on each loss, and <see cref="TrainingStep.Update"/>.</summary>
    public abstract LossTerms Step(TrainingStep step, Tensor batch);

    /// <summary>The loss terms on validation data after an epoch, or null when the model has no validation loss.</summary>
    public abstract LossTerms? Validate(IFeatureSource validation, Rng rng);

    /// <summary>Adds the epoch's measurements to <paramref name="metrics"/> and starts the next epoch's.</summary>
    public virtual void EndEpoch(Dictionary<string, double> metrics)
    {
    }

    /// <summary>The model file's metadata of the model, with <paramref name="extra"/> entries.</summary>
    public abstract Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string> extra);

    /// <summary>Frees what the target holds beyond the model (a second tape).</summary>
    public virtual void Dispose()
    {
    }
}

/// <summary>An optimizer of a <see cref="TrainingTarget"/>.</summary>
/// <param name="Prefix">The prefix of its state's entries in a checkpoint: "" for a lone optimizer, "generator." and "discriminator." for a game.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="BaseRate">Its learning rate before the schedule.</param>
internal sealed record TargetOptimizer(string Prefix, Optimizer Optimizer, float BaseRate);
