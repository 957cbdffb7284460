using Latent.Training;

namespace Latent.Tests.Cli;

/// <summary>A resumed run must be the checkpoint's run: its model, trainer and data; the message names each difference.</summary>
[Collection("Console")]
public class ResumeMismatchTests
{
    private static readonly string[] s_run = ["train", "vae", "--data", "digits-8x8", "--quiet"];

    private static readonly string[] s_options = s_run[2..];

    [Theory]
    [InlineData("cannot resume: the checkpoint was trained with preset vae and bottleneck gaussian; this run asks for preset ae and bottleneck deterministic", "ae")]
    [InlineData("the checkpoint was trained with latent 20; this run asks for latent 8", "vae", "--latent", "8")]
    [InlineData("the checkpoint was trained with encoder fc400 and decoder fc400; this run asks for encoder fc32 and decoder fc32", "vae", "--hidden", "32")]
    [InlineData("the checkpoint was trained with beta 1; this run asks for beta 2", "vae", "--beta", "2")]
    [InlineData("the checkpoint was trained with batch size 128; this run asks for batch size 64", "vae", "--batch", "64")]
    [InlineData("cannot resume: the run was started on other data (items 1797 → 1000)", "vae", "--limit", "1000")]
    [InlineData("cannot resume: the run was started on other data (validation fraction 0.1 → 0.2)", "vae", "--validation", "0.2")]
    public void ResumingWithAnotherModelOrDataNamesTheDifference(string expected, string preset, params string[] change)
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        Assert.Equal(0, CliRun.Run(PresetOptionsTests.Root(), [.. s_run, "--out", run, "--epochs", "1"]).Code);
        byte[] model = File.ReadAllBytes(RunFiles.ModelPath(run));

        CliRun.Fails(PresetOptionsTests.Root(), expected, ["train", preset, .. s_options, "--out", run, "--epochs", "2", "--resume", .. change]);
        Assert.Equal(model, File.ReadAllBytes(RunFiles.ModelPath(run)));
    }

    [Fact]
    public void ResumingTheSameRunWithMoreEpochsWorksAndMatchesAnUninterruptedRun()
    {
        using var folder = new TempFolder();
        string run = folder.File("run"), whole = folder.File("whole");
        Assert.Equal(0, CliRun.Run(PresetOptionsTests.Root(), [.. s_run, "--out", run, "--epochs", "1"]).Code);
        Assert.True(File.Exists(RunFiles.RunDataPath(run)));
        Assert.Equal(0, CliRun.Run(PresetOptionsTests.Root(), [.. s_run, "--out", run, "--epochs", "2", "--patience", "3", "--resume"]).Code);
        Assert.Equal(0, CliRun.Run(PresetOptionsTests.Root(), [.. s_run, "--out", whole, "--epochs", "2"]).Code);
        Assert.Equal(File.ReadAllBytes(RunFiles.ModelPath(whole)), File.ReadAllBytes(RunFiles.ModelPath(run)));
    }

    [Fact]
    public void AFreshRunThatFailsLeavesNoDataRecordNorFolder()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        CliRun.Fails(PresetOptionsTests.Root(), "linear decoder", [.. s_run, "--out", run, "--epochs", "1", "--pca-angle"]);
        Assert.False(Directory.Exists(run));
    }
}
