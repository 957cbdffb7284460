using Latent.Models;
using Latent.Nn;
using Latent.Tensors;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// The ONNX graph of an autoencoder's encoder, decoder or both: exactly what <see cref="Autoencoder.Encode(Tensor)"/>,
/// <see cref="Autoencoder.Decode(Tensor)"/> and <see cref="Autoencoder.Reconstruct(Tensor)"/> compute in evaluation mode.
/// </summary>
/// <remarks>
/// Inputs and outputs are rows, as Latent's API takes and gives them: "input" [batch, inputs], "code" [batch, latent],
/// "reconstruction" [batch, inputs]. An encoder whose first layer needs an image reshapes the rows to [batch, c, h, w]
/// first, and a part that ends in an image flattens it, as the model does. The bottleneck's encoding path:
/// deterministic → its linear map and code activation; Gaussian → the encoder part outputs "mean" and
/// "log_variance" (the posterior q(z | x)), and reconstruction decodes the mean; top-k → the ⌊α·k⌋ largest units
/// of each row kept, the rest zero (TopK, whose ties go to the lower index as Latent's, then ScatterElements into
/// zeros); binary → [a &gt; 0] as 0/1 floats. The likelihood maps the decoder's output to the mean of p(x | z):
/// Bernoulli → sigmoid of the logits; Gaussian (fixed or learned σ) → the output itself.
/// </remarks>
internal static class AutoencoderGraph
{
    public const string Input = "input";
    public const string Code = "code";
    public const string Mean = "mean";
    public const string LogVariance = "log_variance";
    public const string Reconstruction = "reconstruction";

    /// <summary>Adds the nodes of <paramref name="part"/> of <paramref name="model"/> to <paramref name="graph"/>.</summary>
    public static void Build(OnnxGraphBuilder graph, Autoencoder model, OnnxPart part)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(model);
        graph.NameTensors(model.StateDict());
        switch (part)
        {
            case OnnxPart.Encoder:
                {
                    string features = Features(graph, model, graph.Input(Input, DataType.Float, model.Inputs));
                    if (model.Bottleneck is GaussianBottleneck)
                    {
                        graph.Output(Linear(graph, model.Bottleneck, "mean", features), Mean, DataType.Float, model.Latent);
                        graph.Output(Linear(graph, model.Bottleneck, "log_var", features), LogVariance, DataType.Float, model.Latent);
                    }
                    else
                    {
                        graph.Output(Bottleneck(graph, model.Bottleneck, features), Code, DataType.Float, model.Latent);
                    }

                    break;
                }

            case OnnxPart.Decoder:
                graph.Output(Decode(graph, model, graph.Input(Code, DataType.Float, model.Latent)), Reconstruction, DataType.Float, model.Inputs);
                break;
            case OnnxPart.Reconstruct:
                {
                    string features = Features(graph, model, graph.Input(Input, DataType.Float, model.Inputs));
                    graph.Output(Decode(graph, model, Bottleneck(graph, model.Bottleneck, features)), Reconstruction, DataType.Float, model.Inputs);
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part.");
        }
    }

    // The encoder's output as flat features [n, Features] (Autoencoder.FeaturesVar).
    private static string Features(OnnxGraphBuilder graph, Autoencoder model, string input)
    {
        var options = model.Options;
        var layers = Architecture.Parse(options.Encoder, "encoder");
        string x = Architecture.TakesImage(layers, options.InputLayerShape)
            ? OnnxLayers.Reshape(graph, input, options.InputShape!.Value, "input_shape")
            : input;
        x = OnnxLayers.Emit(graph, model.Encoder, x, "encoder");
        return Architecture.OutputShape(layers, options.InputLayerShape, "encoder").Image is not null ? OnnxLayers.Flatten(graph, x) : x;
    }

    // The encoding code (Bottleneck.Forward).
    private static string Bottleneck(OnnxGraphBuilder graph, Bottleneck bottleneck, string features)
    {
        switch (bottleneck)
        {
            case DeterministicBottleneck:
                return Linear(graph, bottleneck, "linear", features);
            case GaussianBottleneck:
                return Linear(graph, bottleneck, "mean", features);
            case TopKBottleneck topK:
                {
                    string activation = Linear(graph, bottleneck, "linear", features);
                    string k = graph.Constant(graph.Fresh("k"), [(long)topK.EncodingK], 1);
                    string[] kept = graph.Node("TopK", [activation, k], 2, [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1)]);
                    var zero = new Proto.TensorProto { DataType = (int)DataType.Float, Dims = { 1 }, FloatData = { 0f } };
                    string zeros = graph.Node("ConstantOfShape", [graph.Node("Shape", [activation])], [OnnxAttribute.Tensor("value", zero)]);
                    return graph.Node("ScatterElements", [zeros, kept[1], kept[0]], [OnnxAttribute.Int("axis", 1)]);
                }

            case BinaryBottleneck:
                {
                    string activation = Linear(graph, bottleneck, "linear", features);
                    string zero = graph.Constant(graph.Fresh("zero"), [0f]);
                    string positive = graph.Node("Greater", [activation, zero]);
                    return graph.Node("Cast", [positive], [OnnxAttribute.Int("to", (long)DataType.Float)]);
                }

            default:
                throw new NotSupportedException($"ONNX export: the {bottleneck.GetType().Name} bottleneck has no ONNX mapping.");
        }
    }

    // The mean of p(x | z) as rows [n, inputs] (Autoencoder.DecodeVar).
    private static string Decode(OnnxGraphBuilder graph, Autoencoder model, string code)
    {
        var options = model.Options;
        string output = OnnxLayers.Emit(graph, model.Decoder, code, "decoder");
        var end = options.TiedWeights ? LayerShape.FromFeatures(options.Inputs) : Architecture.OutputShape(options.DecoderLayers(), LayerShape.FromFeatures(options.Latent), "decoder");
        if (end.Image is not null)
        {
            output = OnnxLayers.Flatten(graph, output);
        }

        return model.Likelihood switch
        {
            BernoulliLikelihood => graph.Node("Sigmoid", [output]),
            GaussianLikelihood or LearnedGaussianLikelihood => output,
            var other => throw new NotSupportedException($"ONNX export: the {other.GetType().Name} likelihood has no ONNX mapping."),
        };
    }

    // The bottleneck's sub-module `name` (a Linear), applied to the features.
    private static string Linear(OnnxGraphBuilder graph, Bottleneck bottleneck, string name, string features) =>
        OnnxLayers.Emit(graph, bottleneck.Children().Single(c => c.Name == name).Module, features, "bottleneck." + name);
}
