using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Latent.Classical;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Onnx;

/// <summary>
/// Exports fitted models as standard ONNX graphs (opset <see cref="Opset"/>) for serving with ONNX Runtime or any
/// other ONNX engine: autoencoders (encoder, decoder or the whole reconstruction) and the classical models' transforms
/// and predictions.
/// </summary>
/// <remarks>
/// <para>
/// Every graph takes float32 rows named "input" [batch, features] (the decoder: "code" [batch, latent]) with a
/// symbolic batch dimension, and computes what the model's own method computes at inference (see each export
/// method). The model's kind, its options as JSON, the part and the Latent version are in the model's
/// metadata_props ("latent.kind", "latent.options", "latent.part", "latent.version"; autoencoders also
/// "latent.preset"). The weights keep their state-dict names ("encoder.0.weight").
/// </para>
/// <para>The messages are ONNX's own (src/Latent/Onnx/onnx.proto), written by Google.Protobuf.</para>
/// </remarks>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (8: ONNX 1.12, the first to carry opset 17).</summary>
    public const long IrVersion = 8;

    /// <summary>The metadata key holding the model's kind ("autoencoder", "adversarial", "pca", "ppca", "fa", "kmeans", "gmm").</summary>
    public const string KindKey = "latent.kind";

    /// <summary>The metadata key holding the exported part ("encoder", "decoder", "reconstruct", "generator", "discriminator" or "transform", "predict").</summary>
    public const string PartKey = "latent.part";

    /// <summary>The metadata key holding the Latent version that wrote the file.</summary>
    public const string VersionKey = "latent.version";

    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The version of this Latent assembly, as written in <see cref="VersionKey"/> and the producer field.</summary>
    public static string LatentVersion { get; } =
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// The ONNX model of <paramref name="part"/> of <paramref name="model"/>: exactly <see cref="Autoencoder.Encode(Tensor)"/>
    /// ("input" → "code", or "mean" and "log_variance" for a variational model), <see cref="Autoencoder.Decode(Tensor)"/>
    /// ("code" → "reconstruction") or <see cref="Autoencoder.Reconstruct(Tensor)"/> ("input" → "reconstruction").
    /// </summary>
    /// <exception cref="NotSupportedException">A layer of the model has no ONNX mapping (the message names it).</exception>
    public static byte[] Export(Autoencoder model, OnnxPart part = OnnxPart.Reconstruct)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enum.IsDefined(part))
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part.");
        }

        return Network("autoencoder", "autoencoder", model.Options.Preset, PartName(part), model.Options.ToJson(), graph => AutoencoderGraph.Build(graph, model, part));
    }

    /// <summary>
    /// The ONNX model of <paramref name="part"/> of generative adversarial network <paramref name="network"/>: the
    /// generator, exactly <see cref="AdversarialNetwork.Generate"/> ("z" [batch, latent] → "images" [batch, inputs]),
    /// or the discriminator, exactly <see cref="AdversarialNetwork.Discriminate"/> ("input" → "real_logit" and
    /// "real_probability" [batch, 1]) and for an InfoGAN <see cref="AdversarialNetwork.InferCodes"/> ("codes").
    /// </summary>
    /// <exception cref="NotSupportedException">A layer of the network has no ONNX mapping (the message names it).</exception>
    public static byte[] Export(AdversarialNetwork network, AdversarialPart part = AdversarialPart.Generator)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!Enum.IsDefined(part))
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part.");
        }

        return Network("adversarial", "adversarial network", network.Options.Preset, PartName(part), network.Options.ToJson(), graph => AdversarialGraph.Build(graph, network, part));
    }

    /// <summary>PCA's <see cref="PcaModel.Transform"/>: "input" [batch, d] → "code" [batch, k].</summary>
    public static byte[] Export(PcaModel model) =>
        Classical(model, "pca", "transform", model?.Options, graph => AffineGraph.Build(graph, model!));

    /// <summary>Probabilistic PCA's <see cref="ProbabilisticPcaModel.Transform"/> (posterior means): "input" [batch, d] → "code" [batch, k].</summary>
    public static byte[] Export(ProbabilisticPcaModel model) =>
        Classical(model, "ppca", "transform", model?.Options, graph => AffineGraph.Build(graph, model!));

    /// <summary>Factor analysis' <see cref="FactorAnalysisModel.Transform"/> (posterior means): "input" [batch, d] → "code" [batch, k].</summary>
    public static byte[] Export(FactorAnalysisModel model) =>
        Classical(model, "fa", "transform", model?.Options, graph => AffineGraph.Build(graph, model!));

    /// <summary>k-means: "input" [batch, d] → "label" (int64 [batch], <see cref="KMeansModel.Predict"/>) and "distances" ([batch, k], <see cref="KMeansModel.Transform"/>).</summary>
    public static byte[] Export(KMeansModel model) =>
        Classical(model, "kmeans", "predict", model?.Options, graph => KMeansGraph.Build(graph, model!));

    /// <summary>
    /// A Gaussian mixture: "input" [batch, d] → "probabilities" ([batch, k], <see cref="GaussianMixtureModel.PredictProba"/>),
    /// "log_likelihood" (double [batch], <see cref="GaussianMixtureModel.ScoreSamples(Tensors.Tensor)"/>) and "label" (int64 [batch], <see cref="GaussianMixtureModel.Predict"/>).
    /// </summary>
    public static byte[] Export(GaussianMixtureModel model) =>
        Classical(model, "gmm", "predict", model?.Options, graph => GaussianMixtureGraph.Build(graph, model!));

    /// <summary>Any classical model as loaded by <see cref="ClassicalModelFile.Load"/>.</summary>
    /// <exception cref="ArgumentException">The object is not a classical model.</exception>
    public static byte[] ExportClassical(object model) => model switch
    {
        PcaModel pca => Export(pca),
        ProbabilisticPcaModel ppca => Export(ppca),
        FactorAnalysisModel fa => Export(fa),
        KMeansModel kmeans => Export(kmeans),
        GaussianMixtureModel gmm => Export(gmm),
        null => throw new ArgumentNullException(nameof(model)),
        _ => throw new ArgumentException($"ONNX export: a {model.GetType().Name} is not a classical model.", nameof(model)),
    };

    /// <summary>Writes exported bytes to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void Save(byte[] onnx, string path)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, onnx);
    }

    /// <summary>
    /// The signature of an exported model in one line, for messages: "input [batch, 784] → mean [batch, 20], log_variance [batch, 20]".
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not an ONNX model.</exception>
    public static string Describe(byte[] onnx)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        Proto.ModelProto model;
        try
        {
            model = Proto.ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new ArgumentException($"These {onnx.Length} bytes are not an ONNX model: {exception.Message}", nameof(onnx), exception);
        }

        static string Values(IEnumerable<Proto.ValueInfoProto> values) => string.Join(", ", values.Select(v =>
        {
            var tensor = v.Type.TensorType;
            string type = tensor.ElemType switch
            {
                (int)Proto.TensorProto.Types.DataType.Double => "double ",
                (int)Proto.TensorProto.Types.DataType.Int64 => "int64 ",
                _ => string.Empty,
            };
            return $"{v.Name} {type}[{string.Join(", ", tensor.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
        }));
        return $"{Values(model.Graph.Input)} → {Values(model.Graph.Output)}";
    }

    /// <summary>The name of a part in metadata and messages: "encoder", "decoder", "reconstruct".</summary>
    public static string PartName(OnnxPart part) => part switch
    {
        OnnxPart.Encoder => "encoder",
        OnnxPart.Decoder => "decoder",
        OnnxPart.Reconstruct => "reconstruct",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part."),
    };

    /// <summary>The name of an adversarial network's part in metadata and messages: "generator", "discriminator".</summary>
    public static string PartName(AdversarialPart part) => part switch
    {
        AdversarialPart.Generator => "generator",
        AdversarialPart.Discriminator => "discriminator",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part."),
    };

    // A trained network's graph, named by its preset and part, with its options in the metadata.
    private static byte[] Network(string kind, string description, string preset, string partName, string options, Action<OnnxGraphBuilder> build)
    {
        var graph = new OnnxGraphBuilder();
        build(graph);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = kind,
            [PartKey] = partName,
            [VersionKey] = LatentVersion,
            [ModelFile.PresetKey] = preset,
            [ModelFile.OptionsKey] = options,
        };
        return Serialize(graph, $"{preset}_{partName}", $"Latent {preset} {description}, {partName}.", metadata);
    }

    private static byte[] Classical<TOptions>(object? model, string kind, string part, TOptions options, Action<OnnxGraphBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder();
        build(graph);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = kind,
            [PartKey] = part,
            [VersionKey] = LatentVersion,
            [ModelFile.OptionsKey] = JsonSerializer.Serialize(options, s_json),
        };
        return Serialize(graph, $"{kind}_{part}", $"Latent {kind} model, {part}.", metadata);
    }

    private static byte[] Serialize(OnnxGraphBuilder graph, string name, string documentation, Dictionary<string, string> metadata) =>
        graph.Build(name, documentation, metadata).ToByteArray();
}
