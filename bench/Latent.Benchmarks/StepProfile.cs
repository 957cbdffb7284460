using System.Diagnostics;
using System.Globalization;
using Latent.Autodiff;
using Latent.Data;
using Latent.Models;
using Latent.Optim;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Benchmarks;

/// <summary>
/// One more epoch of a trained model, run as the trainer runs it but with a clock on every phase of a step:
/// the batch gather, each op's forward and backward pass (<see cref="TapeProfile"/>), the optimizer, and the
/// bookkeeping (the loss terms and the tape's reset). Prints seconds per epoch for each.
/// </summary>
internal static class StepProfile
{
    public static void Run(Autoencoder model, Tensor train, TrainerOptions options)
    {
        var optimizer = OptimizerRegistry.Create(options.Optimizer, model.ParameterVars(), options.OptimizerSettings);
        using var tape = new Tape();
        var profile = new TapeProfile();
        using var batcher = new Batcher(new TensorSource(train), new BatchOptions { BatchSize = options.BatchSize }, options.Seed, tape.Pool);
        var noise = new Rng(options.Seed + 1);
        model.Train();

        // A warm-up epoch (the optimizer's moments, the pool), then the measured one.
        for (int pass = 0; pass < 2; pass++)
        {
            double gather = 0, forward = 0, backward = 0, step = 0, bookkeeping = 0;
            double total = 0;
            tape.Profile = null;
            profile.Clear();
            if (pass == 1)
            {
                tape.Profile = profile;
            }

            long last = Stopwatch.GetTimestamp();
            foreach (var batch in batcher.NextEpoch())
            {
                gather += Lap(ref last);
                var loss = model.Loss(tape, batch.Features, noise);
                forward += Lap(ref last);
                optimizer.ZeroGrad();
                step += Lap(ref last);
                tape.Backward(loss.Loss);
                backward += Lap(ref last);
                optimizer.Step();
                step += Lap(ref last);
                _ = loss.Terms.Total;
                tape.Reset();
                bookkeeping += Lap(ref last);
            }

            total = gather + forward + backward + step + bookkeeping;
            if (pass == 1)
            {
                Print(total, gather, forward, backward, step, bookkeeping, profile);
            }
        }
    }

    internal static void Print(double total, double gather, double forward, double backward, double step, double bookkeeping, TapeProfile profile)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"profiled epoch {total:F2} s: gather {gather:F3}, forward {forward:F3}, backward {backward:F3}, optimizer {step:F3}, bookkeeping {bookkeeping:F3}, load {EpochBenchmark.Load()}"));
        Console.WriteLine($"  {"op",-26} {"forward s",10} {"backward s",11} {"calls",7}");
        foreach ((string op, double f, double b, long calls) in profile.Ops)
        {
            Console.WriteLine(string.Create(c, $"  {op,-26} {f,10:F3} {b,11:F3} {calls,7}"));
        }
    }

    internal static double Lap(ref long last)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = (now - last) / (double)Stopwatch.Frequency;
        last = now;
        return seconds;
    }
}
