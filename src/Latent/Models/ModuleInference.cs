using Latent.Autodiff;
using Latent.Data;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Runs a module over every item of a source in evaluation mode, in sequential batches without gradients.</summary>
internal static class ModuleInference
{
    /// <summary>Items per inference batch.</summary>
    public const int Batch = 1024;

    /// <summary>
    /// <paramref name="forward"/> applied to the items of <paramref name="data"/> (each of <paramref name="inputs"/>
    /// values), batch by batch with <paramref name="model"/> in evaluation mode (its mode restored after): [n, outputs],
    /// or [n] when <paramref name="vector"/>.
    /// </summary>
    public static Tensor Run(Module model, IFeatureSource data, int inputs, int outputs, Func<Tape, Var, Var> forward, string name = "data", bool vector = false)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        CheckDimension(data, inputs, name);
        bool training = model.Training;
        model.Eval();
        var result = vector ? Tensor.Zeros(data.Count) : Tensor.Zeros(data.Count, outputs);
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(Batch), pool: tape.Pool);
        try
        {
            foreach (var batch in batcher.NextEpoch())
            {
                var output = forward(tape, tape.Input(batch.Features));
                output.Value.Span.CopyTo(result.Span.Slice(batch.Offset * outputs, batch.Size * outputs));
                tape.Reset();
            }
        }
        finally
        {
            model.Train(training);
        }

        return result;
    }

    /// <summary>Throws when <paramref name="data"/>'s items do not have <paramref name="expected"/> values.</summary>
    public static void CheckDimension(IFeatureSource data, int expected, string name)
    {
        if (data.Dimension != expected)
        {
            throw new ArgumentException($"The {name} have {data.Dimension} columns; the model expects {expected}.", name);
        }
    }
}
