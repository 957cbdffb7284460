using System.CommandLine;
using Latent.Classical;

using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class SamplingCommandTests
{
    [Fact]
    public void SampleFitsAMixturePriorToADeterministicAutoencodersTrainingCodesSavesAndReusesIt()
    {
        using var folder = new TempFolder();
        var model = ModelTestData.Train(new Autoencoder(ModelTestData.Small("ae")), ModelTestData.Rows(ModelTestData.Digits, 0, 512), epochs: 1);
        string run = Path.Combine(folder.Path, "run");
        Directory.CreateDirectory(run);
        ModelFile.Save(model, RunFiles.ModelPath(run), new Dictionary<string, string> { [RunFiles.DataMetadataKey] = "digits-8x8" });

        string first = Output(() => Assert.Equal(0, CommandRunner.Run(Root(), ["sample", run, "--prior", "gmm:3", "--count", "5", "--seed", "2", "--out", folder.File("a.npy"), "--nearest", "digits-8x8"])));
        string priorPath = Path.Combine(run, "prior-gmm3.safetensors");
        Assert.True(File.Exists(priorPath));
        Assert.Contains("fitted to the codes of digits-8x8", first, StringComparison.Ordinal);
        Assert.Contains("mean distance of the samples to their nearest item of digits-8x8", first, StringComparison.Ordinal);
        var prior = CodePrior.Load(priorPath, CodePriorSpec.Mixture(3), model.Latent);
        var written = Npy.Read(folder.File("a.npy"));
        Assert.Equal([5, 64], written.Shape);
        Assert.Equal(prior.Sample(model, 5, 2).Span.ToArray(), written.Values);

        string second = Output(() => Assert.Equal(0, CommandRunner.Run(Root(), ["sample", run, "--prior", "gmm:3", "--count", "5", "--seed", "2", "--out", folder.File("b.npy")])));
        Assert.Contains("read from", second, StringComparison.Ordinal);
        Assert.Equal(written.Values, Npy.Read(folder.File("b.npy")).Values);

        // A deterministic autoencoder's default prior is one fitted Gaussian; N(0, I) only when asked for, with a warning.
        string gaussian = Output(() => Assert.Equal(0, CommandRunner.Run(Root(), ["sample", run, "--out", folder.File("g.png"), "--count", "4"])));
        Assert.Contains("one Gaussian", gaussian, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "prior-gaussian.safetensors")));
        string standard = Output(() => Assert.Equal(0, CommandRunner.Run(Root(), ["sample", run, "--prior", "standard", "--out", folder.File("s.npy"), "--count", "4", "--seed", "3"])));
        Assert.Contains("not trained to match", standard, StringComparison.Ordinal);
        Assert.Equal(model.Sample(4, new Rng(3)).Span.ToArray(), Npy.Read(folder.File("s.npy")).Values);

        Assert.Equal(2, CommandRunner.Run(Root(), ["sample", run, "--prior", "gmm:0", "--out", folder.File("x.png")]));
    }

    [Fact]
    public void SampleDrawsFromProbabilisticPcaFactorAnalysisAndMixtureModels()
    {
        using var folder = new TempFolder();
        // Factor analysis needs every pixel to vary: a little noise on the digits' blank border.
        var x = ModelTestData.Rows(ModelTestData.Digits, 0, 400);
        var noise = Tensor.Zeros(x.Rows, x.Columns);
        new Rng(7).FillNormal(noise.Span, 0f, 0.01f);
        System.Numerics.Tensors.TensorPrimitives.Add(x.Span, noise.Span, x.Span);
        var ppca = new ProbabilisticPcaOptions { Components = 3 }.Fit(x);
        var fa = new FactorAnalysisOptions { Components = 3, Seed = 1 }.Fit(x);
        var gmm = new GaussianMixtureOptions { Components = 2, CovarianceType = CovarianceType.Diagonal, Seed = 1 }.Fit(x);
        var pca = new PcaOptions { Components = 3 }.Fit(x);
        ppca.Save(folder.File("ppca.safetensors"));
        fa.Save(folder.File("fa.safetensors"));
        gmm.Save(folder.File("gmm.safetensors"));
        pca.Save(folder.File("pca.safetensors"));

        Assert.Equal(0, CommandRunner.Run(Root(), ["sample", folder.File("ppca.safetensors"), "--count", "6", "--seed", "5", "--out", folder.File("ppca.npy")]));
        Assert.Equal(ProbabilisticPcaModel.Load(folder.File("ppca.safetensors")).Sample(6, 5).Span.ToArray(), Npy.Read(folder.File("ppca.npy")).Values);
        Assert.Equal(0, CommandRunner.Run(Root(), ["sample", folder.File("fa.safetensors"), "--count", "6", "--seed", "5", "--out", folder.File("fa.npy")]));
        Assert.Equal(FactorAnalysisModel.Load(folder.File("fa.safetensors")).Sample(6, 5).Span.ToArray(), Npy.Read(folder.File("fa.npy")).Values);
        Assert.Equal(0, CommandRunner.Run(Root(), ["sample", folder.File("gmm.safetensors"), "--count", "6", "--seed", "5", "--out", folder.File("gmm.png")]));
        Assert.Equal((2 + (3 * 10), 2 + (2 * 10)), (Png.Read(folder.File("gmm.png")).Width, Png.Read(folder.File("gmm.png")).Height));

        Assert.Equal(2, CommandRunner.Run(Root(), ["sample", folder.File("pca.safetensors"), "--out", folder.File("pca.png")]));
        Assert.Equal(2, CommandRunner.Run(Root(), ["sample", folder.File("ppca.safetensors"), "--prior", "gmm:2", "--out", folder.File("p.png")]));
    }

    [Fact]
    public void DecodeWritesTheDecodersMeansAndChecksTheCodeSize()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("vae"));
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);
        var codes = Tensor.Zeros(3, model.Latent);
        new Rng(1).FillNormal(codes.Span);
        Npy.Write(folder.File("codes.npy"), codes);

        Assert.Equal(0, CommandRunner.Run(Root(), ["decode", modelPath, "--codes", folder.File("codes.npy"), "--out", folder.File("x.npy")]));
        Assert.Equal(model.Decode(codes).Span.ToArray(), Npy.Read(folder.File("x.npy")).Values);
        Assert.Equal(0, CommandRunner.Run(Root(), ["decode", modelPath, "--codes", folder.File("codes.npy"), "--out", folder.File("x.png"), "--columns", "3"]));
        Assert.Equal((32, 12), (Png.Read(folder.File("x.png")).Width, Png.Read(folder.File("x.png")).Height));

        Npy.Write(folder.File("wide.npy"), Tensor.Zeros(2, model.Latent + 1));
        string error = ErrorOutput(() => Assert.Equal(2, CommandRunner.Run(Root(), ["decode", modelPath, "--codes", folder.File("wide.npy"), "--out", folder.File("y.png")])));
        Assert.Contains($"[2, {model.Latent + 1}]", error, StringComparison.Ordinal);
        Assert.Contains($"{model.Latent} values", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReconstructWithNoiseDrawsCleanNoisyAndOutputRowsAndPrintsTheErrors()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("denoising-ae"));
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);
        string text = Output(() => Assert.Equal(0, CommandRunner.Run(Root(), ["reconstruct", modelPath, "--data", "digits-8x8", "--noise", "0.3", "--count", "4", "--out", folder.File("r.png")])));
        var image = Png.Read(folder.File("r.png"));
        Assert.Equal((2 + (4 * 10), 2 + (3 * 10)), (image.Width, image.Height));
        var digits = UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8"));
        var expected = Latent.Evaluation.DenoisingError.Measure(model, digits.Features, NoiseKind.Gaussian, 0.3f, new Rng(0));
        Assert.Contains(expected.MeanOutputError.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Equal(2, CommandRunner.Run(Root(), ["reconstruct", modelPath, "--data", "digits-8x8", "--noise", "0.3", "--noise-kind", "salt", "--out", folder.File("r2.png")]));
    }

    private static string Output(Action action)
    {
        var previous = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(previous);
        }

        return writer.ToString();
    }

    private static string ErrorOutput(Action action)
    {
        var previous = Console.Error;
        using var writer = new StringWriter();
        Console.SetError(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetError(previous);
        }

        return writer.ToString();
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(ReconstructCommand.Create());
        return root;
    }
}
