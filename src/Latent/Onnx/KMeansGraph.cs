using Latent.Classical;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// The ONNX graph of a fitted k-means: "label" (int64 [batch], <see cref="KMeansModel.Predict"/>, the nearest centre,
/// ties to the lower index) and "distances" ([batch, k], <see cref="KMeansModel.Transform"/>, the Euclidean distance
/// to every centre).
/// </summary>
/// <remarks>
/// The squared distances are summed from the differences x − cⱼ (broadcast to [batch, k, d]) rather than expanded as
/// ‖x‖² − 2x·c + ‖c‖², so a row at a centre gets 0 and not the square root of a rounding error.
/// </remarks>
internal static class KMeansGraph
{
    public const string Input = "input";
    public const string Label = "label";
    public const string Distances = "distances";

    public static void Build(OnnxGraphBuilder graph, KMeansModel model)
    {
        int k = model.Clusters, d = model.Features;
        string x = graph.Input(Input, DataType.Float, d);
        using var centres = model.Centres;
        string c = graph.Constant("cluster_centers", centres.Span, k, d);
        string rows = graph.Node("Unsqueeze", [x, graph.Constant("axis_1", [1L], 1)]);
        string difference = graph.Node("Sub", [rows, c]);
        string squares = graph.Node("Mul", [difference, difference]);
        string squared = graph.Node("ReduceSum", [squares, graph.Constant("axis_2", [2L], 1)], [OnnxAttribute.Int("keepdims", 0)]);
        graph.Output(graph.Node("ArgMin", [squared], [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)]), Label, DataType.Int64);
        graph.Output(graph.Node("Sqrt", [squared]), Distances, DataType.Float, k);
    }
}
