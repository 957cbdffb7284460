using Latent.Classical;
using Latent.Models;
using Latent.Nn;
using Latent.Onnx;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Onnx;

/// <summary>The exported model's metadata, signature and opset as ONNX Runtime reads them, and the one-line errors.</summary>
public sealed class OnnxExportTests
{
    [Fact]
    public void Autoencoder_metadata_carries_the_options_kind_part_and_version()
    {
        var model = Presets.Create("vae", 64, o => o with { Seed = 3, Latent = 5 });
        var (_, metadata) = OnnxRunner.Run(OnnxExport.Export(model, OnnxPart.Encoder), OnnxRunner.Rows(OnnxRunner.Digits.Features, 1));
        Assert.Equal("autoencoder", metadata[OnnxExport.KindKey]);
        Assert.Equal("encoder", metadata[OnnxExport.PartKey]);
        Assert.Equal("vae", metadata[ModelFile.PresetKey]);
        Assert.Equal(OnnxExport.LatentVersion, metadata[OnnxExport.VersionKey]);
        Assert.NotEqual("unknown", OnnxExport.LatentVersion);
        // The options round-trip: the graph says exactly which model it was exported from.
        Assert.Equal(model.Options.ToJson(), AutoencoderOptions.FromJson(metadata[ModelFile.OptionsKey]).ToJson());
    }

    [Fact]
    public void Classical_metadata_carries_the_options_and_kind()
    {
        var model = new GaussianMixtureOptions { Components = 3, CovarianceType = CovarianceType.Spherical, Seed = 9 }.Fit(OnnxRunner.Digits.Features);
        var (_, metadata) = OnnxRunner.Run(OnnxExport.Export(model), OnnxRunner.Rows(OnnxRunner.Digits.Features, 2));
        Assert.Equal("gmm", metadata[OnnxExport.KindKey]);
        Assert.Equal("predict", metadata[OnnxExport.PartKey]);
        Assert.Contains("\"CovarianceType\":\"Spherical\"", metadata[ModelFile.OptionsKey], StringComparison.Ordinal);
        Assert.Contains("\"Components\":3", metadata[ModelFile.OptionsKey], StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_declares_opset_17_IR_8_and_a_symbolic_batch()
    {
        var model = Presets.Create("ae", 64, o => o with { Seed = 1 });
        var proto = Latent.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.Export(model, OnnxPart.Decoder));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal("Latent", proto.ProducerName);
        var input = Assert.Single(proto.Graph.Input);
        Assert.Equal(["batch", "20"], input.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("code [batch, 20] → reconstruction [batch, 64]", OnnxExport.Describe(OnnxExport.Export(model, OnnxPart.Decoder)));
        // Initializers keep the state-dict names, and every parameter is in the graph.
        Assert.Equal(model.Decoder.Parameters().Select(p => "decoder." + p.Name).Order(), proto.Graph.Initializer.Select(t => t.Name).Order());
    }

    [Fact]
    public void A_batch_of_zero_rows_gives_zero_rows()
    {
        var model = new KMeansOptions { Clusters = 4, Seed = 1 }.Fit(OnnxRunner.Digits.Features);
        var outputs = OnnxRunner.Run(OnnxExport.Export(model), Tensor.Zeros(0, 64)).Outputs;
        Assert.Empty((long[])outputs["label"]);
        Assert.Empty((float[])outputs["distances"]);
    }

    [Fact]
    public void A_layer_without_an_ONNX_mapping_is_one_line_naming_it()
    {
        var graph = new OnnxGraphBuilder();
        var error = Assert.Throws<NotSupportedException>(() => OnnxLayers.Emit(graph, new Sequential(new Relu(), new Custom()), graph.Input("input", Latent.Onnx.Proto.TensorProto.Types.DataType.Float, 4), "encoder"));
        Assert.Equal("ONNX export: layer 'encoder.1' (Custom) has no ONNX mapping.", error.Message);
    }

    [Fact]
    public void Not_a_classical_model_is_one_line()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxExport.ExportClassical("pca"));
        Assert.StartsWith("ONNX export: a String is not a classical model.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_an_ONNX_model_is_one_line()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxExport.Describe([0xFF, 0xFF, 0xFF]));
        Assert.StartsWith("These 3 bytes are not an ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_writes_atomically_and_the_file_loads()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        string path = folder.File("sub/model.onnx");
        byte[] onnx = OnnxExport.Export(model);
        OnnxExport.Save(onnx, path);
        Assert.Equal(onnx, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal(["input"], session.InputMetadata.Keys);
    }

    private sealed class Custom : Module
    {
        public override Latent.Autodiff.Var Forward(Latent.Autodiff.Var x) => x;
    }
}
