using System.CommandLine;
using Latent.Classical;
using Latent.Cli;
using Latent.Models;
using Latent.Tests.Models;
using Latent.Tests.Onnx;

namespace Latent.Tests.Cli;

/// <summary><c>latent export</c>: run folders and model files of both kinds, checked in ONNX Runtime, and its one-line errors.</summary>
public sealed class ExportCommandTests
{
    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(ExportCommand.Create());
        return root;
    }

    [Fact]
    public void A_trained_run_exports_each_part_and_ONNX_Runtime_agrees_with_it()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("vae"));
        ModelTestData.Train(model, ModelTestData.Rows(ModelTestData.Digits, 0, 256), epochs: 2);
        ModelFile.Save(model, Path.Combine(folder.Path, "model.safetensors"));
        var x = OnnxRunner.Rows(ModelTestData.Digits, 10);

        string reconstruct = folder.File("vae.onnx");
        (int code, string output, _) = CliRun.Run(Root(), "export", folder.Path, "--format", "onnx", "--out", reconstruct);
        Assert.Equal(0, code);
        Assert.Contains("vae reconstruct, ONNX opset 17", output, StringComparison.Ordinal);
        Assert.True(OnnxRunner.MaxDifference(model.Reconstruct(x).Span, (float[])OnnxRunner.Run(File.ReadAllBytes(reconstruct), x).Outputs["reconstruction"]) <= 1e-5);

        string encoder = folder.File("enc.onnx");
        Assert.Equal(0, CliRun.Run(Root(), "export", folder.Path, "--out", encoder, "--part", "encoder").Code);
        var (mean, _) = model.EncodePosterior(x);
        Assert.True(OnnxRunner.MaxDifference(mean.Span, (float[])OnnxRunner.Run(File.ReadAllBytes(encoder), x).Outputs["mean"]) <= 1e-5);
    }

    [Fact]
    public void A_classical_model_file_exports_whole()
    {
        using var folder = new TempFolder();
        var model = new PcaOptions { Components = 4 }.Fit(ModelTestData.Digits);
        string path = folder.File("model.safetensors");
        model.Save(path);
        string onnx = folder.File("pca.onnx");
        (int code, string output, _) = CliRun.Run(Root(), "export", path, "--format", "onnx", "--out", onnx);
        Assert.Equal(0, code);
        Assert.Contains("input [batch, 64] → code [batch, 4]", output, StringComparison.Ordinal);
        var x = OnnxRunner.Rows(ModelTestData.Digits, 5);
        Assert.True(OnnxRunner.MaxDifference(model.Transform(x).Span, (float[])OnnxRunner.Run(File.ReadAllBytes(onnx), x).Outputs["code"]) <= 1e-5);

        CliRun.Fails(Root(), "--part encoder: parts are for autoencoders and GANs;", "export", path, "--out", folder.File("x.onnx"), "--part", "encoder");
        Assert.False(File.Exists(folder.File("x.onnx")));
    }

    [Fact]
    public void Unsupported_choices_are_one_line_errors_and_write_nothing()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        string path = folder.File("model.safetensors");
        ModelFile.Save(model, path);
        string onnx = folder.File("x.onnx");
        CliRun.Fails(Root(), "--format: 'tflite' is not an export format; the one format is onnx.", "export", path, "--format", "tflite", "--out", onnx);
        CliRun.Fails(Root(), "--part: 'middle' is not one of encoder, decoder, reconstruct.", "export", path, "--part", "middle", "--out", onnx);
        CliRun.Fails(Root(), "no such model file", "export", folder.File("none"), "--out", onnx);
        Assert.False(File.Exists(onnx));
    }
}
