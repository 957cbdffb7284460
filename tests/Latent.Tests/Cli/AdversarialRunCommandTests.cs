using System.CommandLine;
using System.Text.Json.Nodes;
using Latent.Cli;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tests.Onnx;
using Latent.Training;

namespace Latent.Tests.Cli;

/// <summary><c>latent eval</c>, <c>report</c> and <c>export</c> on GAN runs (dcgan on digits-8x8, an untrained infogan on shapes).</summary>
[Collection("Console")]
public sealed class AdversarialRunCommandTests(AdversarialRunCommandTests.DcganRun run) : IClassFixture<AdversarialRunCommandTests.DcganRun>
{
    private readonly DcganRun _run = run;

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }

    [Fact]
    public void Eval_of_a_dcgan_run_measures_its_samples_and_its_discriminator()
    {
        using var folder = new TempFolder();
        string json = folder.File("eval.json");
        (int code, string output, _) = CliRun.Run(Root(), "eval", _run.Path, "--data", "digits-8x8", "--quality-samples", "500", "--quality-cache", folder.File("cache"), "--json", json, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("discriminator mean P(real) on 1,797 data items", output, StringComparison.Ordinal);
        Assert.Contains("a GAN has no encoder and no likelihood", output, StringComparison.Ordinal);
        var eval = JsonNode.Parse(File.ReadAllText(json))!;
        double real = (double)eval["discriminatorRealScore"]!, fake = (double)eval["discriminatorFakeScore"]!;
        Assert.InRange(real, 0, 1);
        Assert.InRange(fake, 0, 1);
        Assert.Equal(1797, (int)eval["discriminatorSamples"]!);
        // The same keys as a VAE's: the sample-quality block, and no reconstruction for a network without an encoder.
        Assert.Equal(500, (int)eval["sampleQuality"]!["samples"]!);
        Assert.True((double)eval["sampleQuality"]!["frechetDistance"]! > 0);
        Assert.InRange((int)eval["sampleQuality"]!["classesFound"]!, 1, 10);
        Assert.Null(eval["reconstructionNll"]);
        Assert.Null(eval["probeAccuracy"]);
    }

    [Fact]
    public void Eval_of_an_infogan_on_shapes_scores_the_recognition_codes_disentanglement()
    {
        using var folder = new TempFolder();
        var network = new AdversarialNetwork(AdversarialPresets.Defaults("infogan", new ShapesSource().ImageShape!.Value));
        AdversarialModelFile.Save(network, folder.File("model.safetensors"));
        (int code, string output, _) = CliRun.Run(Root(), "eval", folder.Path, "--data", "shapes", "--quality-samples", "0",
            "--beta-vae-points", "40", "--beta-vae-pairs", "4", "--mig-items", "300", "--discriminator-items", "100", "--quiet");
        Assert.Equal(0, code);
        var eval = JsonNode.Parse(File.ReadAllText(folder.File("eval.json")))!;
        Assert.Equal(100, (int)eval["discriminatorSamples"]!);
        Assert.InRange((double)eval["betaVaeMetric"]!, 0, 1);
        Assert.InRange((double)eval["mig"]!, 0, 1);
        Assert.Equal(["shape", "scale", "rotation", "x", "y"], eval["migPerFactor"]!.AsObject().Select(p => p.Key));
        Assert.Contains("MIG (mutual information gap)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_refuses_the_autoencoder_only_options_on_a_GAN_in_one_line()
    {
        string error = CliRun.Fails(Root(), "--iw-samples: ", "eval", _run.Path, "--data", "digits-8x8", "--iw-samples", "10");
        Assert.Contains("'dcgan' GAN, which has no likelihood", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_the_generator_by_default_and_the_discriminator_on_request()
    {
        using var folder = new TempFolder();
        var network = AdversarialModelFile.Load(RunFiles.ModelPath(_run.Path));
        string generator = folder.File("g.onnx");
        (int code, string output, _) = CliRun.Run(Root(), "export", _run.Path, "--format", "onnx", "--out", generator);
        Assert.Equal(0, code);
        Assert.Contains("dcgan generator, ONNX opset 17", output, StringComparison.Ordinal);
        Assert.Contains("z [batch, 100] → images [batch, 64]", output, StringComparison.Ordinal);
        var z = network.DrawLatent(20, seed: 1);
        Assert.True(OnnxRunner.MaxDifference(network.Generate(z).Span, (float[])OnnxRunner.Run(File.ReadAllBytes(generator), z, "z").Outputs["images"]) <= 1e-5);

        string discriminator = folder.File("d.onnx");
        (code, output, _) = CliRun.Run(Root(), "export", _run.Path, "--out", discriminator, "--part", "discriminator");
        Assert.Equal(0, code);
        Assert.Contains("input [batch, 64] → real_logit [batch, 1], real_probability [batch, 1]", output, StringComparison.Ordinal);
        var x = OnnxRunner.Rows(OnnxRunner.Digits.Features, 20);
        Assert.True(OnnxRunner.MaxDifference(network.Discriminate(new TensorSource(x)).Span, (float[])OnnxRunner.Run(File.ReadAllBytes(discriminator), x).Outputs["real_probability"]) <= 1e-5);

        CliRun.Fails(Root(), "--part: 'encoder' is not one of generator, discriminator.", "export", _run.Path, "--out", folder.File("x.onnx"), "--part", "encoder");
        Assert.False(File.Exists(folder.File("x.onnx")));
    }

    [Fact]
    public void Report_of_a_GAN_run_shows_its_curves_pictures_and_eval_json()
    {
        using var folder = new TempFolder();
        string html = folder.File("report.html");
        (int code, string output, _) = CliRun.Run(Root(), "report", _run.Path, "--out", html, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("wrote", output, StringComparison.Ordinal);
        string page = File.ReadAllText(html);
        foreach (string expected in (string[])["Losses", "Discriminator scores", "Samples: G(z) for 64 draws", "Interpolations between generated images", "Options"])
        {
            Assert.Contains(expected, page, StringComparison.Ordinal);
        }

        // The options table shows the image shape as C×H×W (HTML-encoded ×), not as its JSON object.
        Assert.Contains("<td>1&#215;8&#215;8</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("&quot;channels&quot;", page, StringComparison.Ordinal);

        // A dcgan has no codes to traverse; eval.json's numbers appear once eval has written it.
        Assert.DoesNotContain("Traversals of the", page, StringComparison.Ordinal);
        var evaluation = new ModelEvaluation
        {
            Data = "digits-8x8",
            Items = 1797,
            DiscriminatorRealScore = 0.625,
            DiscriminatorFakeScore = 0.375,
            DiscriminatorSamples = 1797,
            SampleQuality = new SampleQuality(1797, 1797, 1.25, new ClassCoverage(10, 9, 2.1), new ClassCoverage(10, 10, 2.3), 1797, 0.5, 0.25, 0.05, false, 1),
        };
        File.WriteAllText(folder.File("eval.json"), evaluation.ToJson());
        Directory.CreateDirectory(folder.File("run"));
        foreach (string file in Directory.GetFiles(_run.Path))
        {
            File.Copy(file, Path.Combine(folder.File("run"), Path.GetFileName(file)));
        }

        File.Copy(folder.File("eval.json"), Path.Combine(folder.File("run"), "eval.json"), overwrite: true);
        Assert.Equal(0, CliRun.Run(Root(), "report", folder.File("run"), "--quiet").Code);
        page = File.ReadAllText(Path.Combine(folder.File("run"), "report.html"));
        Assert.Contains("Metrics (eval.json)", page, StringComparison.Ordinal);
        // The rows are named as 'latent eval' printed them; measures that do not apply and bare counts make none.
        Assert.Contains("chet distance, 1,797 samples vs data", page, StringComparison.Ordinal);
        Assert.Contains("discriminator mean P(real) on 1,797 data items", page, StringComparison.Ordinal);
        Assert.Contains("0.625", page, StringComparison.Ordinal);
        foreach (string raw in (string[])["sampleQuality.", "importanceSamples", "clusters", "elbo"])
        {
            Assert.DoesNotContain(raw, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Report_of_an_InfoGAN_traverses_its_codes_and_an_autoencoders_needs_data()
    {
        using var folder = new TempFolder();
        var data = UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8"));
        AdversarialModelFile.Save(new AdversarialNetwork(AdversarialPresets.Defaults("infogan", data.ImageShape!.Value)), folder.File("model.safetensors"));
        Assert.Equal(0, CliRun.Run(Root(), "report", folder.Path, "--quiet").Code);
        string page = File.ReadAllText(folder.File("report.html"));
        Assert.Contains("Traversals of the 5 continuous codes", page, StringComparison.Ordinal);
        Assert.Contains("No metrics: run ", page, StringComparison.Ordinal);

        using var autoencoder = new TempFolder();
        ModelFile.Save(new Autoencoder(Latent.Tests.Models.ModelTestData.Small("vae")), autoencoder.File("model.safetensors"));
        CliRun.Fails(Root(), "--data is required for an autoencoder's report", "report", autoencoder.Path);
    }

    /// <summary>A run folder of a dcgan trained briefly on digits-8x8 (2 epochs of 512 images), once for the class.</summary>
    public sealed class DcganRun : IDisposable
    {
        private readonly TempFolder _folder = new();

        public DcganRun()
        {
            var data = UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8"));
            var options = new AdversarialRunOptions
            {
                Network = AdversarialPresets.Defaults("dcgan", data.ImageShape!.Value) with { Seed = 3 },
                Trainer = new TrainerOptions { Epochs = 2, BatchSize = 64, LearningRate = 2e-4f, Beta1 = 0.5f, Seed = 3 },
            };
            AdversarialTrainingRun.Train(options, data.Take(512), Path);
        }

        public string Path => _folder.Path;

        public void Dispose() => _folder.Dispose();
    }
}
