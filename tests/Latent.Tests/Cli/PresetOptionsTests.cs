using System.CommandLine;
using Latent.Cli;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Cli;

/// <summary>Each preset's options have their own names, and a preset refuses those it does not use.</summary>
[Collection("Console")]
public class PresetOptionsTests
{
    [Theory]
    [InlineData("vae", "--top-k", "5", "--top-k: preset vae does not use it (it applies to ksparse-ae).")]
    [InlineData("vae", "--mmd-weight", "3", "--mmd-weight: preset vae does not use it (it applies to infovae).")]
    [InlineData("vae", "--rho", "0.2", "--sparsity-target: preset vae does not use it (it applies to sparse-ae).")]
    [InlineData("vae", "--kernel", "rbf", "--mmd-kernel: preset vae does not use it (it applies to infovae).")]
    [InlineData("iwae", "--beta", "2", "--beta: preset iwae does not use it (it applies to vae, beta-vae, infovae, conv-vae, dcign-vae).")]
    [InlineData("ae", "--iw-samples", "3", "--iw-samples: preset ae does not use it (it applies to iwae).")]
    [InlineData("vae", "--code-noise", "0.5", "--code-noise: preset vae does not use it (it applies to binary-ae).")]
    [InlineData("ksparse-ae", "--info-alpha", "0.5", "--info-alpha: preset ksparse-ae does not use it (it applies to infovae).")]
    [InlineData("vae", "--noise-kind", "mask", "--noise-kind mask: preset vae has no input corruption; give its level with --noise")]
    [InlineData("ae", "--sigma", "0.5", "--sigma: σ belongs to the fixed Gaussian likelihood; this run's likelihood is bernoulli")]
    [InlineData("vae", "--k", "5", "--k")]
    [InlineData("vae", "--lambda", "3", "--lambda")]
    public void AnOptionThePresetDoesNotUseIsAOneLineErrorBeforeAnythingIsWritten(string preset, string option, string value, string expected)
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        CliRun.Fails(Root(), expected, "train", preset, "--data", "digits-8x8", "--out", run, option, value, "--quiet");
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void ContradictoryCorruptionAndSparsityOptionsAreRefused()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        CliRun.Fails(Root(), "--sparsity-target: the target activation belongs to KL sparsity; this run's sparsity is l1", "train", "sparse-ae", "--data", "digits-8x8", "--out", run, "--sparsity", "l1", "--rho", "0.2");
        CliRun.Fails(Root(), "--noise-kind none turns the corruption off", "train", "denoising-ae", "--data", "digits-8x8", "--out", run, "--noise-kind", "none", "--noise", "0.2");
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void EachPresetOptionReachesTheModel()
    {
        using var folder = new TempFolder();
        var cases = new (string Preset, string[] Options, Func<AutoencoderOptions, bool> Holds)[]
        {
            ("ksparse-ae", ["--latent", "32", "--top-k", "8", "--top-k-alpha", "2"], o => o.TopK == 8 && o.TopKAlpha == 2f),
            ("iwae", ["--iw-samples", "3"], o => o.ImportanceSamples == 3),
            ("infovae", ["--mmd-weight", "50", "--info-alpha", "0.5", "--kernel", "rbf", "--beta", "2"], o => o.MmdWeight == 50f && o.InfoAlpha == 0.5f && o.MmdKernel == MmdKernel.Rbf && o.Beta == 2f),
            ("sparse-ae", ["--rho", "0.1", "--sparsity-weight", "0.5"], o => o.SparsityTarget == 0.1f && o.SparsityWeight == 0.5f && o.Sparsity == SparsityKind.Kl),
            ("sparse-ae", ["--sparsity", "l1"], o => o.Sparsity == SparsityKind.L1 && o.SparsityWeight == 1e-3f),
            ("binary-ae", ["--code-noise", "0.5"], o => o.CodeNoise == 0.5f),
            ("vae", ["--noise", "0.2", "--noise-kind", "mask"], o => o.Noise == NoiseKind.Mask && o.NoiseLevel == 0.2f),
            ("denoising-ae", ["--noise-kind", "mask"], o => o.Noise == NoiseKind.Mask && o.NoiseLevel == 0.3f),
            ("ae", ["--likelihood", "gaussian", "--sigma", "0.5"], o => o.Sigma == 0.5f),
        };
        foreach ((string preset, string[] options, var holds) in cases)
        {
            string run = folder.File($"{preset}-{options[^2]}");
            string[] args = ["train", preset, "--data", "digits-8x8", "--out", run, "--epochs", "1", "--quiet", .. options];
            (int code, _, string error) = CliRun.Run(Root(), args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
            Assert.True(holds(RunFiles.LoadModel(run).Options), string.Join(' ', args));
        }
    }

    internal static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }
}
