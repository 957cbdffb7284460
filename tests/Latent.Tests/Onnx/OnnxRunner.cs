using Latent.Data;
using Latent.Tensors;
using Microsoft.ML.OnnxRuntime;
using Tensor = Latent.Tensors.Tensor;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Latent.Tests.Onnx;

/// <summary>Runs exported graphs in ONNX Runtime, and the real data the tests compare on.</summary>
internal static class OnnxRunner
{
    private static readonly Lazy<Dataset> s_mnist = new(() => UnitScaling.Apply(new DatasetCatalog().Load("mnist-10k")).Take(1000));
    private static readonly Lazy<Dataset> s_digits = new(() => UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8")).Take(1000));

    /// <summary>The first 1000 images of mnist-10k, pixels in [0, 1] as the CLI scales them, 1×28×28.</summary>
    public static Dataset Mnist => s_mnist.Value;

    /// <summary>The first 1000 of the UCI digits, grey levels 0..16 scaled to [0, 1] as the CLI scales them, 1×8×8.</summary>
    public static Dataset Digits => s_digits.Value;

    /// <summary>Every output of <paramref name="onnx"/> run on <paramref name="input"/> [n, d] fed as <paramref name="inputName"/>, by name, as the session's metadata.</summary>
    public static (Dictionary<string, Array> Outputs, Dictionary<string, string> Metadata) Run(byte[] onnx, Tensor input, string inputName = "input")
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input.Span.ToArray(), [input.Rows, input.Columns]);
        string[] names = [.. session.OutputMetadata.Keys];
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], names);
        var outputs = new Dictionary<string, Array>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            var result = results[i];
            outputs[names[i]] = result.GetTensorTypeAndShape().ElementDataType switch
            {
                TensorElementType.Float => result.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Double => result.GetTensorDataAsSpan<double>().ToArray(),
                TensorElementType.Int64 => result.GetTensorDataAsSpan<long>().ToArray(),
                var other => throw new InvalidOperationException($"Unexpected output type {other}."),
            };
        }

        return (outputs, new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap));
    }

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="data"/>.</summary>
    public static Tensor Rows(Tensor data, int rows) => Tensor.FromArray(data.Span[..(rows * data.Columns)].ToArray(), rows, data.Columns);

    /// <summary>max |a − b| over the elements; the lengths must agree.</summary>
    public static double MaxDifference(ReadOnlySpan<float> expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"ONNX Runtime gave NaN at {i}");
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }

        return max;
    }

    /// <summary>max |a − b| over the elements, in double.</summary>
    public static double MaxDifference(ReadOnlySpan<double> expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }
}
