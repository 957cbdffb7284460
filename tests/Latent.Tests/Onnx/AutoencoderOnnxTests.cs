using Latent.Autodiff;
using Latent.Models;
using Latent.Nn;
using Latent.Onnx;
using Latent.Tensors;
using Xunit.Abstractions;

namespace Latent.Tests.Onnx;

/// <summary>
/// Every autoencoder preset's encoder, decoder and reconstruction, exported and run in ONNX Runtime on real images
/// (mnist-10k), against Latent's own Encode / EncodePosterior, Decode and Reconstruct, batches of 1 and 1000.
/// </summary>
public sealed class AutoencoderOnnxTests(ITestOutputHelper output)
{
    private static readonly ImageShape s_mnistShape = new(1, 28, 28);

    public static TheoryData<string, OnnxPart> Cases()
    {
        var cases = new TheoryData<string, OnnxPart>();
        foreach (string preset in Presets.Names)
        {
            foreach (var part in Enum.GetValues<OnnxPart>())
            {
                cases.Add(preset, part);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_preset_and_part_computes_what_Latent_computes(string preset, OnnxPart part)
    {
        var model = Presets.ImageNames.Contains(preset)
            ? Presets.Create(preset, s_mnistShape, o => o with { Seed = 11 })
            : Presets.Create(preset, 784, o => o with { Seed = 11 });
        // DC-IGN stacks five convolutions of up to 64 channels: sums of ~600 products each, rounded in another order.
        double tolerance = preset == "dcign-vae" ? 1e-4 : 1e-5;
        Check(model, part, tolerance, $"{preset} {OnnxExport.PartName(part)}");
    }

    [Theory]
    [InlineData(OnnxPart.Encoder)]
    [InlineData(OnnxPart.Decoder)]
    [InlineData(OnnxPart.Reconstruct)]
    public void A_tied_linear_autoencoder_reads_the_bottleneck_weight_once(OnnxPart part)
    {
        var model = Presets.Create("linear-ae", 784, o => o with { TiedWeights = true, Latent = 16, Seed = 5 });
        // Give the tied decoder's bias (zero at initialisation) values, so that the test would see a bias left out.
        new Rng(2).FillUniform(model.Decoder.Parameters().Single(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Parameter.Value.Span, -0.5f, 0.5f);
        Check(model, part, 1e-5, $"linear-ae tied {OnnxExport.PartName(part)}");
        if (part == OnnxPart.Reconstruct)
        {
            // The weight [16, 784] once, the code's bias and the decoder's bias.
            var graph = Latent.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExport.Export(model, part)).Graph;
            Assert.Equal(["bottleneck.linear.weight", "bottleneck.linear.bias", "decoder.0.bias"], graph.Initializer.Select(t => t.Name));
        }
    }

    [Theory]
    [InlineData(OnnxPart.Encoder)]
    [InlineData(OnnxPart.Decoder)]
    [InlineData(OnnxPart.Reconstruct)]
    public void Batch_norm_uses_its_running_statistics_and_every_layer_kind_maps(OnnxPart part)
    {
        // Every layer kind: conv, bn (2-D and 1-D), pool, dropout, fc, unflatten, deconv with output padding, up, and
        // the relu, leaky relu, tanh and sigmoid activations; a k-sparse code; a learned-variance Gaussian likelihood.
        var options = new AutoencoderOptions
        {
            Preset = "ae",
            Inputs = 784,
            InputShape = s_mnistShape,
            Encoder = "conv8k3s1p1:none,bn:relu,pool2,conv8k4s2p1:leaky-relu,drop0.2,fc64:none,bn:tanh",
            Decoder = "fc392:sigmoid,unflatten8x7x7,deconv8k3s2p1o1:none,bn:leaky-relu,up2,conv1k3s1p1:none",
            Latent = 24,
            Bottleneck = BottleneckKind.TopK,
            TopK = 6,
            TopKAlpha = 2f,
            Likelihood = LikelihoodKind.GaussianLearnedPerDimension,
            Seed = 8,
        };
        var model = new Autoencoder(options);
        var rng = new Rng(4);
        var norms = Modules(model).OfType<BatchNormBase>().ToList();
        Assert.Equal(3, norms.Count);
        foreach (var norm in norms)
        {
            rng.FillUniform(norm.Weight.Value.Span, 0.5f, 1.5f);
            rng.FillUniform(norm.Bias.Value.Span, -0.5f, 0.5f);
        }

        // A few forward passes in training mode move the running statistics to the data's.
        model.Train();
        var data = OnnxRunner.Mnist.Features;
        for (int step = 0; step < 3; step++)
        {
            using var tape = new Tape();
            model.Loss(tape, OnnxRunner.Rows(data, 64 * (step + 1)), rng);
        }

        // Every layer's running statistics have left their starting values (mean 0, variance 1).
        Assert.All(norms, b => Assert.Contains(b.RunningVar.Span.ToArray().Zip(b.RunningMean.Span.ToArray()), s => MathF.Abs(s.First - 1f) > 0.01f || MathF.Abs(s.Second) > 0.01f));
        Check(model, part, 1e-5, $"conv + batch norm + top-k {OnnxExport.PartName(part)}");
    }

    private static IEnumerable<Module> Modules(Module module) => module.Children().SelectMany(c => Modules(c.Module)).Prepend(module);

    private void Check(Autoencoder model, OnnxPart part, double tolerance, string label)
    {
        byte[] onnx = OnnxExport.Export(model, part);
        foreach (int n in (int[])[1, 1000])
        {
            var x = OnnxRunner.Rows(OnnxRunner.Mnist.Features, n);
            double worst = 0;
            switch (part)
            {
                case OnnxPart.Encoder when model.Options.IsVariational:
                    {
                        var (mean, logVariance) = model.EncodePosterior(x);
                        var (outputs, _) = OnnxRunner.Run(onnx, x);
                        worst = Math.Max(OnnxRunner.MaxDifference(mean.Span, (float[])outputs["mean"]), OnnxRunner.MaxDifference(logVariance.Span, (float[])outputs["log_variance"]));
                        break;
                    }

                case OnnxPart.Encoder:
                    worst = OnnxRunner.MaxDifference(model.Encode(x).Span, (float[])OnnxRunner.Run(onnx, x).Outputs["code"]);
                    break;
                case OnnxPart.Decoder:
                    {
                        var codes = model.Encode(x);
                        worst = OnnxRunner.MaxDifference(model.Decode(codes).Span, (float[])OnnxRunner.Run(onnx, codes, "code").Outputs["reconstruction"]);
                        break;
                    }

                default:
                    worst = OnnxRunner.MaxDifference(model.Reconstruct(x).Span, (float[])OnnxRunner.Run(onnx, x).Outputs["reconstruction"]);
                    break;
            }

            output.WriteLine($"{label}, batch {n}: max |ONNX − Latent| = {worst:E2}");
            Assert.True(worst <= tolerance, $"{label}, batch {n}: max difference {worst:E2} > {tolerance:E0}");
        }
    }
}
