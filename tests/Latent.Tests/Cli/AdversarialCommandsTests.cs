using System.CommandLine;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Cli;

/// <summary>Two GAN runs trained once through <c>latent train</c> (a dcgan and an infogan with a 3-way categorical code, on 256 digits of 8×8).</summary>
public sealed class GanRunsFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public GanRunsFixture()
    {
        Dcgan = _folder.File("dcgan");
        Infogan = _folder.File("infogan");
        DcganTraining = CliRun.Run(AdversarialCommandsTests.Root(), ["train", "dcgan", "--data", "digits-8x8", "--limit", "256", "--epochs", "1", "--batch", "64", "--seed", "3", "--out", Dcgan]);
        InfoganTraining = CliRun.Run(AdversarialCommandsTests.Root(), ["train", "infogan", "--data", "digits-8x8", "--limit", "256", "--epochs", "1", "--batch", "64", "--categorical", "3", "--codes", "2", "--out", Infogan]);
    }

    public string Dcgan { get; }

    public string Infogan { get; }

    public (int Code, string Output, string Error) DcganTraining { get; }

    public (int Code, string Output, string Error) InfoganTraining { get; }

    public string File(string name) => _folder.File(name);

    public void Dispose() => _folder.Dispose();
}

[Collection("Console")]
public class AdversarialCommandsTests(GanRunsFixture runs) : IClassFixture<GanRunsFixture>
{
    [Fact]
    public void TrainShowsTheGansNumbersAndTheRecommendedRatesAndWritesAnAdversarialRun()
    {
        (int code, string output, string error) = runs.DcganTraining;
        Assert.True(code == 0, error);
        Assert.Contains("learning rates 0.0002 generator / 0.0002 discriminator: the preset's recommendation", output, StringComparison.Ordinal);
        Assert.Matches(@"epoch +1 +D loss [0-9.]+ +G loss [0-9.]+ +D\(x\) [0-9.]+ +D\(G\(z\)\) [0-9.]+ ", output);
        Assert.DoesNotContain(" rec ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("information", output, StringComparison.Ordinal);
        Assert.True(AdversarialModelFile.Holds(RunFiles.ModelPath(runs.Dcgan)));
        Assert.Equal(2e-4, RunFiles.LoadHistory(runs.Dcgan)!.Epochs[0].LearningRate, 1e-9);

        Assert.True(runs.InfoganTraining.Code == 0, runs.InfoganTraining.Error);
        Assert.Contains("learning rates 0.001 generator / 0.0002 discriminator", runs.InfoganTraining.Output, StringComparison.Ordinal);
        Assert.Matches(@"epoch +1 .*information [0-9.]+", runs.InfoganTraining.Output);
        var infogan = AdversarialModelFile.Load(RunFiles.ModelPath(runs.Infogan)).Options;
        Assert.Equal((5, 2), (infogan.Noise, infogan.ContinuousCodes));
        Assert.Equal([3], infogan.CategoricalCodes);
    }

    [Fact]
    public void TheProgressDisplayReadsTheMetricsTheAdversarialTrainerWrites()
    {
        Assert.Equal(
            [AdversarialTarget.DiscriminatorMetric, AdversarialTarget.GeneratorMetric, AdversarialTarget.RealScoreMetric, AdversarialTarget.FakeScoreMetric, AdversarialTarget.InformationMetric],
            TrainingProgress.AdversarialMetrics.Select(m => m.Metric));
        var record = RunFiles.LoadHistory(runs.Infogan)!.Epochs[0];
        Assert.All(TrainingProgress.AdversarialMetrics, m => Assert.NotNull(record.Metric(m.Metric)));
    }

    [Fact]
    public void SampleAndInterpolateGenerateFromSeededDrawsOfZ()
    {
        var network = AdversarialModelFile.Load(RunFiles.ModelPath(runs.Dcgan));
        string npy = runs.File("samples.npy");
        (int code, string output, string error) = CliRun.Run(Root(), ["sample", runs.Dcgan, "--out", npy, "--count", "6", "--seed", "4"]);
        Assert.True(code == 0, error);
        Assert.Contains("100 noise values U(−1, 1)", output, StringComparison.Ordinal);
        Assert.Equal(network.Sample(6, 4).Span.ToArray(), Npy.Read(npy).Values);

        string png = runs.File("path.png");
        (code, output, error) = CliRun.Run(Root(), ["interpolate", runs.Dcgan, "--out", png, "--steps", "4", "--points", "3", "--seed", "2"]);
        Assert.True(code == 0, error);
        Assert.Contains("wrote 2×4 images", output, StringComparison.Ordinal);
        var strip = Png.Read(png);
        Assert.Equal((2 + (4 * 10), 2 + (2 * 10)), (strip.Width, strip.Height));
        var draws = network.DrawLatent(3, 2);
        var second = network.Generate(Generation.InterpolateCodes(draws.Row(1), draws.Row(2), 4, spherical: false));
        GenerationCommandTests.AssertTile(strip, 0, 1, second.Row(0));
        GenerationCommandTests.AssertTile(strip, 2, 1, second.Row(2));
        GenerationCommandTests.AssertTile(strip, 3, 0, second.Row(0));

        (code, output, _) = CliRun.Run(Root(), ["interpolate", runs.Infogan, "--out", png]);
        Assert.Equal(0, code);
        Assert.Contains("one-hot blocks are blended linearly", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TraverseDrawsARowPerContinuousCodeAndAColumnPerCategory()
    {
        var network = AdversarialModelFile.Load(RunFiles.ModelPath(runs.Infogan));
        string png = runs.File("traverse.png");
        (int code, string output, string error) = CliRun.Run(Root(), ["traverse", runs.Infogan, "--out", png, "--steps", "5", "--seed", "7"]);
        Assert.True(code == 0, error);
        Assert.Contains("c1 over [−1, 1]", output, StringComparison.Ordinal);
        var grid = Png.Read(png);
        Assert.Equal((2 + (5 * 10), 2 + (3 * 10)), (grid.Width, grid.Height));

        // Row 2 (c2) at its last column: the draw of --seed 7 with c2 = 1; row 3 (the categorical code) at category 1.
        var origin = network.DrawLatent(1, 7);
        var z = origin.Clone();
        z.Span[5 + 1] = 1f;
        GenerationCommandTests.AssertTile(grid, 4, 1, network.Generate(z).Row(0));
        z = origin.Clone();
        z.Span.Slice(7, 3).Clear();
        z.Span[7 + 1] = 1f;
        GenerationCommandTests.AssertTile(grid, 1, 2, network.Generate(z).Row(0));
        GenerationCommandTests.AssertTile(grid, 4, 2, new float[64]);

        CliRun.Fails(Root(), "up to 2 extrapolates", ["traverse", runs.Infogan, "--out", png, "--range", "2.5"]);
        CliRun.Fails(Root(), "without codes", ["traverse", runs.Dcgan, "--out", png]);
        CliRun.Fails(Root(), "has no encoder", ["traverse", runs.Infogan, "--out", png, "--data", "digits-8x8", "--from", "3"]);
    }

    [Fact]
    public void ResumeContinuesTheRunFromItsCheckpoint()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        string[] args = ["train", "dcgan", "--data", "digits-8x8", "--limit", "128", "--batch", "64", "--seed", "1", "--out", run, "--quiet"];
        Assert.Equal(0, CliRun.Run(Root(), [.. args, "--epochs", "1"]).Code);
        (int code, _, string error) = CliRun.Run(Root(), [.. args, "--epochs", "2", "--resume"]);
        Assert.True(code == 0, error);
        Assert.Equal([1, 2], RunFiles.LoadHistory(run)!.Epochs.Select(e => e.Epoch));
        CliRun.Fails(Root(), "--seed", [.. args.Where(a => a != "--quiet"), "--epochs", "3", "--resume", "--seed", "2"]);
    }

    [Theory]
    [InlineData("encode", "--data", "digits-8x8", "--out", "codes.npy")]
    [InlineData("reconstruct", "--data", "digits-8x8", "--out", "r.png")]
    [InlineData("decode", "--codes", "codes.npy", "--out", "d.png")]
    [InlineData("manifold", "--out", "m.png")]
    [InlineData("score", "--data", "digits-8x8", "--out", "s.csv")]
    [InlineData("finetune", "--data", "digits-8x8")]
    [InlineData("probe", "--data", "digits-8x8")]
    [InlineData("filters", "--out", "f.png")]
    public void CommandsThatNeedAnEncoderRefuseAGanRunNamingTheCommandAndThePreset(string command, params string[] options)
    {
        string error = CliRun.Fails(Root(), $"latent {command} needs an autoencoder", [command, runs.Dcgan, .. options.Select(o => o.Contains('.') && !o.StartsWith("digits", StringComparison.Ordinal) ? runs.File(o) : o)]);
        Assert.Contains("dcgan GAN run", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("autoencoder presets; preset dcgan is a GAN", "train", "dcgan", "--latent", "3", "--beta", "2")]
    [InlineData("GAN presets (dcgan, infogan); preset vae is an autoencoder", "train", "vae", "--d-steps", "2")]
    [InlineData("flat vectors of 8 values", "train", "dcgan", "--data", "onehot8")]
    [InlineData("whole number", "train", "infogan", "--noise", "0.5")]
    [InlineData("--categorical: Adversarial network option CategoricalCodes is [1]", "train", "infogan", "--categorical", "1")]
    public void TrainRefusesOptionsOfTheOtherFamilyAndDataWithoutAShape(string expected, params string[] args)
    {
        using var folder = new TempFolder();
        string[] line = args.Contains("--data") ? args : [.. args, "--data", "digits-8x8"];
        CliRun.Fails(Root(), expected, [.. line, "--out", folder.File("run")]);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void SampleAndInterpolateRefuseTheAutoencodersOptions()
    {
        string png = runs.File("x.png");
        CliRun.Fails(Root(), "--prior, --refit-prior: the codes' prior of an autoencoder", ["sample", runs.Dcgan, "--out", png, "--prior", "gmm:3", "--refit-prior"]);
        CliRun.Fails(Root(), "--data picks a data item to encode", ["interpolate", runs.Dcgan, "--out", png, "--data", "digits-8x8"]);
        CliRun.Fails(Root(), "its paths are linear", ["interpolate", runs.Dcgan, "--out", png, "--mode", "spherical"]);
    }

    internal static RootCommand Root()
    {
        var root = new RootCommand("test");
        foreach (var command in new[]
        {
            TrainCommand.Create(), SampleCommand.Create(), InterpolateCommand.Create(), TraverseCommand.Create(), EncodeCommand.Create(), ReconstructCommand.Create(),
            DecodeCommand.Create(), ManifoldCommand.Create(), ScoreCommand.Create(), FinetuneCommand.Create(), ProbeCommand.Create(), FiltersCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
