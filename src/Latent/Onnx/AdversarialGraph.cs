using Latent.Models;
using Latent.Nn;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// The ONNX graph of a generative adversarial network's generator or discriminator: exactly what
/// <see cref="AdversarialNetwork.Generate"/>, <see cref="AdversarialNetwork.Discriminate"/> and
/// <see cref="AdversarialNetwork.InferCodes"/> compute in evaluation mode (batch norm on its running statistics).
/// </summary>
/// <remarks>
/// Inputs and outputs are rows, as Latent's API takes and gives them. Generator: "z" [batch, latent] (laid out as
/// <see cref="AdversarialOptions"/> says: noise, continuous codes, one-hot categories) → "images" [batch, inputs],
/// the image flattened row-major as the model flattens it. Discriminator: "input" [batch, inputs] → "real_logit"
/// [batch, 1] (the critic's logit of "real"), "real_probability" [batch, 1] (its sigmoid, D(x)) and, with codes,
/// "codes" [batch, continuous + categories] (the continuous codes' means, then each categorical code's logits).
/// </remarks>
internal static class AdversarialGraph
{
    public const string Latent = "z";
    public const string Images = "images";
    public const string Input = "input";
    public const string Logit = "real_logit";
    public const string Probability = "real_probability";
    public const string Codes = "codes";

    /// <summary>Adds the nodes of <paramref name="part"/> of <paramref name="network"/> to <paramref name="graph"/>.</summary>
    public static void Build(OnnxGraphBuilder graph, AdversarialNetwork network, AdversarialPart part)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        graph.NameTensors(network.StateDict());
        var options = network.Options;
        switch (part)
        {
            case AdversarialPart.Generator:
                {
                    var layers = Architecture.Parse(options.Generator, "generator");
                    string x = OnnxLayers.Emit(graph, network.Generator, graph.Input(Latent, DataType.Float, network.LatentSize), "generator");
                    if (Architecture.OutputShape(layers, LayerShape.FromFeatures(network.LatentSize), "generator").Image is not null)
                    {
                        x = OnnxLayers.Flatten(graph, x);
                    }

                    graph.Output(x, Images, DataType.Float, network.Inputs);
                    break;
                }

            case AdversarialPart.Discriminator:
                {
                    var layers = Architecture.Parse(options.Discriminator, "discriminator");
                    string x = graph.Input(Input, DataType.Float, network.Inputs);
                    if (Architecture.TakesImage(layers, options.InputLayerShape))
                    {
                        x = OnnxLayers.Reshape(graph, x, options.InputShape!.Value, "input_shape");
                    }

                    x = OnnxLayers.Emit(graph, network.Discriminator, x, "discriminator");
                    if (Architecture.OutputShape(layers, options.InputLayerShape, "discriminator").Image is not null)
                    {
                        x = OnnxLayers.Flatten(graph, x);
                    }

                    string logit = OnnxLayers.Emit(graph, network.Critic, x, "critic");
                    graph.Output(logit, Logit, DataType.Float, 1);
                    graph.Output(graph.Node("Sigmoid", [logit]), Probability, DataType.Float, 1);
                    if (network.Recognition is { } recognition)
                    {
                        graph.Output(OnnxLayers.Emit(graph, recognition, x, "recognition"), Codes, DataType.Float, options.CodeParameters);
                    }

                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part.");
        }
    }
}
