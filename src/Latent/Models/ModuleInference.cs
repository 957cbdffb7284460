using Latent.Autodiff;
using Latent.Data;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Runs a module over every item of a source in evaluation mode, in sequential batches without gradients.</summary>
internal static class ModuleInference
{
    /// <summary>The most items per inference batch.</summary>
    public const int Batch = 1024;

    // The most values one layer of a batch may hold (its output, or a convolution's lowered input): 128 MB. A 64×64
    // convolutional net holds about a million values per item in one layer, so 1,024 items would take gigabytes.
    private const long ValuesPerBatch = 32L << 20;

    /// <summary>
    /// The items per inference batch for networks of these parts (each its layers and the shape it reads): 1,024
    /// unless one layer's output, or a convolution's lowered input, would hold more than 32 Mi values for the batch.
    /// </summary>
    public static int BatchFor(params (IReadOnlyList<LayerSpec> Layers, LayerShape Input)[] parts)
    {
        long widest = 1;
        foreach ((var layers, LayerShape input) in parts)
        {
            var shape = input;
            foreach (var layer in layers)
            {
                var next = Architecture.OutputShape([layer], shape);
                widest = Math.Max(widest, next.Size);
                long window = (long)layer.Kernel * layer.Kernel;
                if (layer.Kind == LayerKind.Convolution && shape.Image is { } image)
                {
                    widest = Math.Max(widest, image.Channels * window * (next.Size / layer.Units));
                }
                else if (layer.Kind == LayerKind.TransposedConvolution && shape.Image is { } before)
                {
                    widest = Math.Max(widest, layer.Units * window * before.Height * before.Width);
                }

                shape = next;
            }
        }

        return (int)Math.Clamp(ValuesPerBatch / widest, 1, Batch);
    }

    /// <summary>
    /// <paramref name="forward"/> applied to the items of <paramref name="data"/> (each of <paramref name="inputs"/>
    /// values), batch by batch with <paramref name="model"/> in evaluation mode (its mode restored after): [n, outputs],
    /// or [n] when <paramref name="vector"/>.
    /// </summary>
    public static Tensor Run(Module model, int batchSize, IFeatureSource data, int inputs, int outputs, Func<Tape, Var, Var> forward, string name = "data", bool vector = false)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        CheckDimension(data, inputs, name);
        bool training = model.Training;
        model.Eval();
        var result = vector ? Tensor.Zeros(data.Count) : Tensor.Zeros(data.Count, outputs);
        using var tape = new Tape { GradEnabled = false };
        using var batcher = new Batcher(data, BatchOptions.Sequential(batchSize), pool: tape.Pool);
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
