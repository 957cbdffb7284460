using Latent.Models;
using Latent.Onnx;
using Latent.Tensors;
using Latent.Tests.Adversarial;
using Xunit.Abstractions;

namespace Latent.Tests.Onnx;

/// <summary>
/// The dcgan and infogan presets (28×28) exported and run in ONNX Runtime against Latent's own Generate, Discriminate
/// and InferCodes, batches of 1 and 1000, with batch norm's running statistics moved off their starting values.
/// </summary>
public sealed class AdversarialOnnxTests(ITestOutputHelper output)
{
    private static readonly ImageShape s_mnistShape = new(1, 28, 28);

    [Theory]
    [InlineData("dcgan")]
    [InlineData("infogan")]
    public void The_generator_computes_what_Generate_computes(string preset)
    {
        var network = Network(preset);
        byte[] onnx = OnnxExport.Export(network);
        foreach (int n in (int[])[1, 1000])
        {
            var z = network.DrawLatent(n, seed: 3);
            var (outputs, metadata) = OnnxRunner.Run(onnx, z, "z");
            Assert.Equal(["images"], outputs.Keys);
            Assert.Equal("generator", metadata[OnnxExport.PartKey]);
            Report($"{preset} generator", n, OnnxRunner.MaxDifference(network.Generate(z).Span, (float[])outputs["images"]), 1e-5);
        }
    }

    [Theory]
    [InlineData("dcgan")]
    [InlineData("infogan")]
    public void The_discriminator_computes_P_real_and_an_InfoGANs_codes(string preset)
    {
        var network = Network(preset);
        byte[] onnx = OnnxExport.Export(network, AdversarialPart.Discriminator);
        foreach (int n in (int[])[1, 1000])
        {
            var x = OnnxRunner.Rows(OnnxRunner.Mnist.Features, n);
            var source = new Latent.Data.TensorSource(x);
            var (outputs, _) = OnnxRunner.Run(onnx, x);
            Assert.Equal(preset == "infogan" ? ["real_logit", "real_probability", "codes"] : ["real_logit", "real_probability"], outputs.Keys);
            var probability = network.Discriminate(source);
            Report($"{preset} P(real)", n, OnnxRunner.MaxDifference(probability.Span, (float[])outputs["real_probability"]), 1e-5);
            var logits = ((float[])outputs["real_logit"]).Select(l => 1f / (1f + MathF.Exp(-l))).ToArray();
            Report($"{preset} σ(logit)", n, OnnxRunner.MaxDifference(probability.Span, logits), 1e-5);
            if (preset == "infogan")
            {
                var codes = network.InferCodes(source);
                Assert.Equal(5, codes.Columns);
                Report($"{preset} codes", n, OnnxRunner.MaxDifference(codes.Span, (float[])outputs["codes"]), 1e-4);
            }
        }
    }

    [Fact]
    public void The_graph_names_its_weights_as_the_state_dict()
    {
        var network = Network("dcgan");
        var generator = Latent.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.Export(network)).Graph;
        var names = network.StateDict().Keys.Where(k => k.StartsWith("generator.", StringComparison.Ordinal) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToHashSet();
        Assert.Subset(generator.Initializer.Select(t => t.Name).ToHashSet(), names);
        Assert.Equal(names.Count, generator.Initializer.Count(t => names.Contains(t.Name)));
        Assert.Equal("adversarial", Latent.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.Export(network)).MetadataProps.Single(p => p.Key == OnnxExport.KindKey).Value);
    }

    private static AdversarialNetwork Network(string preset) => AdversarialTestNetworks.WithRandomNorms(preset, s_mnistShape, 17);

    private void Report(string label, int n, double worst, double tolerance)
    {
        output.WriteLine($"{label}, batch {n}: max |ONNX − Latent| = {worst:E2}");
        Assert.True(worst <= tolerance, $"{label}, batch {n}: max difference {worst:E2} > {tolerance:E0}");
    }
}
