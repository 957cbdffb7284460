using System.CommandLine;
using System.Globalization;
using Latent.Classical;
using Latent.Models;
using Latent.Onnx;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent export RUN|MODEL --format onnx --out model.onnx [--part encoder|decoder|reconstruct|generator|discriminator]</c>:
/// a trained autoencoder or GAN, or a fitted classical model, as a standard ONNX graph, for ONNX Runtime and any other ONNX engine.
/// </summary>
internal static class ExportCommand
{
    private static readonly (string Name, OnnxPart Value)[] s_parts =
        [("encoder", OnnxPart.Encoder), ("decoder", OnnxPart.Decoder), ("reconstruct", OnnxPart.Reconstruct)];

    private static readonly (string Name, AdversarialPart Value)[] s_adversarialParts =
        [("generator", AdversarialPart.Generator), ("discriminator", AdversarialPart.Discriminator)];

    public static Command Create()
    {
        var run = new Argument<string>("RUN|MODEL") { Description = "A run folder of latent train or latent fit, or its model .safetensors file." };
        var format = new Option<string>("--format") { Description = "The export format: onnx (opset 17, dynamic batch size).", DefaultValueFactory = _ => "onnx" };
        var output = new Option<string>("--out") { Description = "The file to write, e.g. model.onnx (written atomically).", Required = true };
        var part = new Option<string?>("--part")
        {
            Description = "Autoencoders: encoder (input → code; a VAE's mean and log_variance), decoder (code → reconstruction) or reconstruct (input → reconstruction, the default). "
                + "GANs (dcgan, infogan): generator (z → images, the default) or discriminator (input → real_logit and real_probability, D(x); an InfoGAN's recognition codes too). "
                + "Classical models export whole: PCA, PPCA and FA their transform (code), k-means label and distances, a Gaussian mixture probabilities, log_likelihood and label.",
        };
        var command = new Command("export", "Export a trained autoencoder or GAN, or a fitted classical model, as an ONNX graph, checked against ONNX Runtime.");
        command.Arguments.Add(run);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(part);
        command.SetAction(parsed =>
        {
            Console.WriteLine(Run(parsed.GetValue(run)!, parsed.GetValue(format)!, parsed.GetValue(output)!, parsed.GetValue(part)));
            return 0;
        });
        return command;
    }

    /// <summary>Exports the model of <paramref name="runOrFile"/> to <paramref name="output"/>; returns what was written, in one line.</summary>
    public static string Run(string runOrFile, string format, string output, string? part)
    {
        if (!string.Equals(format, "onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--format: '{format}' is not an export format; the one format is onnx.");
        }

        string modelPath = RunFiles.ModelFileOf(runOrFile);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"{modelPath}: no such model file (train one with 'latent train' or fit one with 'latent fit').", modelPath);
        }

        byte[] onnx;
        string what;
        if (SampleCommand.IsClassical(modelPath))
        {
            string method = ClassicalModelFile.Method(modelPath);
            if (part is not null)
            {
                throw new ArgumentException($"--part {part}: parts are for autoencoders and GANs; {modelPath} is a classical {method} model, which exports whole.");
            }

            onnx = OnnxExport.ExportClassical(ClassicalModelFile.Load(modelPath));
            what = method;
        }
        else if (AdversarialModelFile.Holds(modelPath))
        {
            var chosen = part is null ? AdversarialPart.Generator : Choices.Parse(part, "--part", s_adversarialParts);
            var network = AdversarialModelFile.Load(modelPath);
            onnx = OnnxExport.Export(network, chosen);
            what = $"{network.Options.Preset} {OnnxExport.PartName(chosen)}";
        }
        else
        {
            var chosen = part is null ? OnnxPart.Reconstruct : Choices.Parse(part, "--part", s_parts);
            var model = ModelFile.Load(modelPath);
            onnx = OnnxExport.Export(model, chosen);
            what = $"{model.Options.Preset} {OnnxExport.PartName(chosen)}";
        }

        OnnxExport.Save(onnx, output);
        return string.Create(CultureInfo.InvariantCulture, $"wrote {output} ({what}, ONNX opset {OnnxExport.Opset}, {onnx.Length / 1024.0:N1} KiB): {OnnxExport.Describe(onnx)}");
    }
}
