using System.Diagnostics;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// One more epoch of a trained adversarial network, run through the trainer's own step
/// (<see cref="AdversarialTarget"/>) but with a clock on the batch gather, on each op's forward and backward pass of
/// both tapes (<see cref="TapeProfile"/>) and on the tape's reset; the "optimizer" phase is the rest of the step (both
/// Adam steps, the draw of z, the loss checks). Prints seconds per epoch for each, as <see cref="StepProfile"/> does.
/// </summary>
internal static class GameProfile
{
    public static void Run(AdversarialNetwork network, Tensor train, TrainerOptions options)
    {
        using var target = new AdversarialTarget(network, options);
        using var tape = new Tape();
        var profile = new TapeProfile();
        var step = new TrainingStep(tape, new Rng(options.Seed + 1), 0, target.LossScale, target.GuardsExplosion);
        using var batcher = new Batcher(new TensorSource(train), new BatchOptions { BatchSize = options.BatchSize }, options.Seed, tape.Pool);
        network.Train();

        // A warm-up epoch (the optimizers' moments, the pool, the second tape), then the measured one.
        for (int pass = 0; pass < 2; pass++)
        {
            double gather = 0, game = 0, bookkeeping = 0;
            tape.Profile = pass == 1 ? profile : null;
            profile.Clear();
            long last = Stopwatch.GetTimestamp();
            foreach (var batch in batcher.NextEpoch())
            {
                gather += StepProfile.Lap(ref last);
                profile.Mark();
                _ = target.Step(step, batch.Features);
                game += StepProfile.Lap(ref last);
                tape.Reset();
                bookkeeping += StepProfile.Lap(ref last);
            }

            if (pass == 1)
            {
                double forward = profile.Ops.Sum(o => o.ForwardSeconds), backward = profile.Ops.Sum(o => o.BackwardSeconds);
                StepProfile.Print(gather + game + bookkeeping, gather, forward, backward, game - forward - backward, bookkeeping, profile);
            }
        }
    }
}
