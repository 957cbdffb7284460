using Latent.Classical;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// The ONNX graph of a classical model whose transform is an affine map z = x·Aᵀ + b: PCA's projection (whitened or
/// not), and the posterior mean E[z | x] of probabilistic PCA and factor analysis. One Gemm with the very float A and
/// b the model's own Transform multiplies by.
/// </summary>
internal static class AffineGraph
{
    public const string Input = "input";
    public const string Code = "code";

    public static void Build(OnnxGraphBuilder graph, PcaModel model) =>
        Build(graph, model.Projection, model.Components, model.Features, "components");

    public static void Build(OnnxGraphBuilder graph, ProbabilisticPcaModel model) =>
        Build(graph, model.Model.Posterior, model.Components, model.Features, "posterior");

    public static void Build(OnnxGraphBuilder graph, FactorAnalysisModel model) =>
        Build(graph, model.Model.Posterior, model.Components, model.Features, "posterior");

    private static void Build(OnnxGraphBuilder graph, (float[] Matrix, float[] Bias) map, int k, int d, string name)
    {
        string x = graph.Input(Input, DataType.Float, d);
        string matrix = graph.Constant(name, map.Matrix, k, d);
        string bias = graph.Constant(name + "_bias", map.Bias, k);
        graph.Output(OnnxLayers.Gemm(graph, x, matrix, bias, transB: true), Code, DataType.Float, k);
    }
}
