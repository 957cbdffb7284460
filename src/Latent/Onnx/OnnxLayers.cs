using Latent.Nn;
using Latent.Tensors;

namespace Latent.Onnx;

/// <summary>
/// Turns Latent's modules, in evaluation mode, into ONNX nodes: each layer into the standard operator that
/// computes what its <see cref="Module.Forward"/> computes at inference.
/// </summary>
/// <remarks>
/// Linear → Gemm (transB = 1, weights [out, in] as stored); TiedLinear → Gemm reading the tied [out, in] weight
/// untransposed; Conv2d → Conv; ConvTranspose2d → ConvTranspose (with output_padding); MaxPool2d → MaxPool;
/// Upsample → Resize (nearest, asymmetric coordinates, floor: pixel i of the output reads ⌊i/f⌋); Flatten →
/// Flatten(axis 1); Unflatten → Reshape to [0, c, h, w] (0 keeps the batch); BatchNorm → BatchNormalization
/// with the running statistics (inference mode); Dropout and Identity → nothing. A layer's own activation
/// (fused into its output step in Latent) becomes the activation's node after it. Initializers take the
/// module's state-dict names ("encoder.0.weight").
/// </remarks>
internal static class OnnxLayers
{
    /// <summary>
    /// Appends the nodes of <paramref name="module"/> (named <paramref name="prefix"/> in the state dict) applied to
    /// <paramref name="value"/>; returns the output's name.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX mapping; the message names it.</exception>
    public static string Emit(OnnxGraphBuilder graph, Module module, string value, string prefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        string Name(string parameter) => prefix.Length == 0 ? parameter : prefix + "." + parameter;
        switch (module)
        {
            case Sequential sequential:
                for (int i = 0; i < sequential.Count; i++)
                {
                    value = Emit(graph, sequential[i], value, Name(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                return value;
            case Linear linear:
                return Activate(graph, Gemm(graph, value, graph.Weight(linear.Weight.Value, Name("weight")), linear.Bias is { } b ? graph.Weight(b.Value, Name("bias")) : null, transB: true), linear.Activation, linear.LeakySlope);
            case TiedLinear tied:
                return Gemm(graph, value, graph.Weight(tied.Weight.Value, Name("weight")), graph.Weight(tied.Bias.Value, Name("bias")), transB: false);
            case ActivationModule activation:
                return Activate(graph, value, activation.Activation, activation.LeakySlope);
            case Conv2d conv:
                return Activate(graph, Convolution(graph, "Conv", conv, value, Name, []), conv.Activation, conv.LeakySlope);
            case ConvTranspose2d deconv:
                return Activate(graph, Convolution(graph, "ConvTranspose", deconv, value, Name, [OnnxAttribute.Ints("output_padding", deconv.OutputPadding, deconv.OutputPadding)]), deconv.Activation, deconv.LeakySlope);
            case MaxPool2d pool:
                {
                    var w = pool.Window;
                    return graph.Node("MaxPool", [value],
                    [
                        OnnxAttribute.Ints("kernel_shape", w.KernelHeight, w.KernelWidth),
                        OnnxAttribute.Ints("strides", w.StrideHeight, w.StrideWidth),
                        OnnxAttribute.Ints("pads", w.PaddingHeight, w.PaddingWidth, w.PaddingHeight, w.PaddingWidth),
                    ]);
                }

            case Upsample upsample:
                {
                    string scales = graph.Constant(graph.Fresh(Name("scales")), [1f, 1f, upsample.Factor, upsample.Factor], 4);
                    return graph.Node("Resize", [value, string.Empty, scales],
                    [
                        OnnxAttribute.String("mode", "nearest"),
                        OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
                        OnnxAttribute.String("nearest_mode", "floor"),
                    ]);
                }

            case Nn.Flatten:
                return Flatten(graph, value);
            case Unflatten unflatten:
                return Reshape(graph, value, unflatten.Shape, Name("shape"));
            case BatchNormBase norm:
                return graph.Node("BatchNormalization",
                    [value, graph.Weight(norm.Weight.Value, Name("weight")), graph.Weight(norm.Bias.Value, Name("bias")),
                     graph.Weight(norm.RunningMean, Name("running_mean")), graph.Weight(norm.RunningVar, Name("running_var"))],
                    [OnnxAttribute.Float("epsilon", norm.Eps)]);
            case Dropout:
                return value;
            default:
                throw new NotSupportedException($"ONNX export: layer '{(prefix.Length == 0 ? module.GetType().Name : prefix)}' ({module.GetType().Name}) has no ONNX mapping.");
        }
    }

    /// <summary>x [n, ...] as rows [n, features].</summary>
    public static string Flatten(OnnxGraphBuilder graph, string value) =>
        graph.Node("Flatten", [value], [OnnxAttribute.Int("axis", 1)]);

    /// <summary>Rows [n, c·h·w] as images [n, c, h, w].</summary>
    public static string Reshape(OnnxGraphBuilder graph, string value, ImageShape shape, string name)
    {
        string target = graph.Constant(graph.Fresh(name), [0L, shape.Channels, shape.Height, shape.Width], 4);
        return graph.Node("Reshape", [value, target]);
    }

    /// <summary>f(x) element-wise: nothing for the identity.</summary>
    public static string Activate(OnnxGraphBuilder graph, string value, Activation activation, float leakySlope) => activation switch
    {
        Activation.Identity => value,
        Activation.Relu => graph.Node("Relu", [value]),
        Activation.LeakyRelu => graph.Node("LeakyRelu", [value], [OnnxAttribute.Float("alpha", leakySlope)]),
        Activation.Sigmoid => graph.Node("Sigmoid", [value]),
        Activation.Tanh => graph.Node("Tanh", [value]),
        _ => throw new NotSupportedException($"ONNX export: activation {activation} has no ONNX mapping."),
    };

    /// <summary>x·Wᵀ + b (transB) or x·W + b, with b optional.</summary>
    public static string Gemm(OnnxGraphBuilder graph, string x, string weight, string? bias, bool transB) =>
        graph.Node("Gemm", bias is null ? [x, weight] : [x, weight, bias], [OnnxAttribute.Int("transB", transB ? 1 : 0)]);

    private static string Convolution(OnnxGraphBuilder graph, string op, ConvolutionLayer layer, string value, Func<string, string> name, Proto.AttributeProto[] extra)
    {
        var s = layer.Settings;
        string[] inputs = layer.Bias is { } bias
            ? [value, graph.Weight(layer.Weight.Value, name("weight")), graph.Weight(bias.Value, name("bias"))]
            : [value, graph.Weight(layer.Weight.Value, name("weight"))];
        Proto.AttributeProto[] attributes =
        [
            OnnxAttribute.Ints("kernel_shape", s.KernelHeight, s.KernelWidth),
            OnnxAttribute.Ints("strides", s.StrideHeight, s.StrideWidth),
            OnnxAttribute.Ints("pads", s.PaddingHeight, s.PaddingWidth, s.PaddingHeight, s.PaddingWidth),
            .. extra,
        ];
        return graph.Node(op, inputs, attributes);
    }
}
