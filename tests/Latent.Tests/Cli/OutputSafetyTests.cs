using System.CommandLine;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Cli;

/// <summary>
/// Outputs whose size an option sets are bounded before anything is allocated (issue 12, class 2), and a command
/// that writes several files validates everything first and leaves nothing behind when it fails (class 5).
/// </summary>
[Collection("Console")]
public class OutputSafetyTests
{
    private const long AllocationBudget = 50L << 20;

    public static TheoryData<string, string> HugeOutputs() => new()
    {
        { "sample {model} --count 50000000 --out {folder}/s.png", "--count" },
        { "sample {model} --count 50000000 --out {folder}/s.npy --prior standard", "--count" },
        { "interpolate {model} --between-samples --steps 50000000 --out {folder}/i.png", "--steps" },
        { "interpolate {model} --between-samples --steps 30000000 --mode both --out {folder}/i.png", "--steps" },
        { "traverse {model} --steps 50000000 --out {folder}/t.png", "--steps" },
        { "manifold {model} --size 100000 --out {folder}/m.png", "--size" },
        { "decode {model} --codes {folder}/codes.npy --columns 2000000000 --out {folder}/d.png", "--columns" },
    };

    [Theory]
    [MemberData(nameof(HugeOutputs))]
    public void HugeOutputCountsFailBeforeAllocatingNamingTheOption(string command, string option)
    {
        using var folder = new TempFolder();
        string model = folder.File("model.safetensors");
        ModelFile.Save(new Autoencoder(Presets.Defaults("vae", 64) with { Encoder = "fc8", Decoder = "fc8", Latent = 2 }), model);
        Npy.Write(folder.File("codes.npy"), Tensor.Zeros(3, 2));
        string[] args = command.Replace("{model}", model, StringComparison.Ordinal).Replace("{folder}", folder.Path, StringComparison.Ordinal).Split(' ');

        long before = GC.GetAllocatedBytesForCurrentThread();
        (int code, string error) = Run(args);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(CommandRunner.ErrorExitCode, code);
        Assert.StartsWith($"latent: error: {option}", error, StringComparison.Ordinal);
        Assert.Contains("more than one output may hold", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.True(allocated < AllocationBudget, $"{args[0]} allocated {allocated:N0} bytes before failing");
        Assert.Equal(["codes.npy", "model.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void OutputBudgetBoundsByTheArrayLimitAndTheMemory()
    {
        Assert.InRange(OutputBudget.MaxValues, 1, Latent.Serialization.FormatLimits.MaxElements);
        Assert.True(OutputBudget.MaxValues <= GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
        OutputBudget.Check("--count", 64, 784);
        var error = Assert.Throws<ArgumentException>(() => OutputBudget.Check("--count", long.MaxValue, 2));
        Assert.StartsWith("--count:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kmeans")]
    [InlineData("gmm")]
    [InlineData("pca")]
    [InlineData("ppca")]
    [InlineData("fa")]
    public void FitOnConstantDataWritesNothingAndSaysWhy(string method)
    {
        using var folder = new TempFolder();
        var constant = Tensor.Zeros(30, 4);
        constant.Span.Fill(0.5f);
        string data = folder.File("constant.npy");
        Npy.Write(data, constant);
        string output = folder.File("fit");

        (int code, string error) = Run(["fit", method, "--data", data, "--components", "2", "--out", output]);

        Assert.Equal(CommandRunner.ErrorExitCode, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("every feature is constant", error);
        Assert.False(Directory.Exists(output), $"fit {method} left {output} behind");
    }

    [Theory]
    [InlineData("pca")]
    [InlineData("kmeans")]
    public void FitWhoseLaterOutputCannotBeWrittenLeavesNothingOfTheEarlierOnes(string method)
    {
        using var folder = new TempFolder();
        var values = Tensor.Zeros(60, 2);
        new Rng(3).FillUniform(values.Span);
        string data = folder.File("data.npy");
        Npy.Write(data, values);
        string first = folder.File("first");
        Assert.Equal(0, Run(["fit", method, "--data", data, "--components", "2", "--out", first]).Code);
        string[] written = [.. Directory.GetFiles(first).Select(Path.GetFileName).Order()!];
        Assert.Contains("model.safetensors", written);
        Assert.True(written.Length >= 2, string.Join(", ", written));

        // The last file written is blocked by a folder of its name; the model, written first, must be removed again.
        string second = folder.File("second");
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(second, "notes.txt"), "mine");
        string blocked = written.Last(name => name != "model.safetensors")!;
        Directory.CreateDirectory(Path.Combine(second, blocked));

        (int code, string error) = Run(["fit", method, "--data", data, "--components", "2", "--out", second]);

        Assert.Equal(CommandRunner.ErrorExitCode, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(["notes.txt"], Directory.GetFiles(second).Select(Path.GetFileName));
        Assert.Equal([blocked], Directory.GetDirectories(second).Select(Path.GetFileName));
    }

    [Fact]
    public void OutputSetRemovesTheFilesAndFoldersItCreatedWhenAWriteFails()
    {
        using var folder = new TempFolder();
        string existing = folder.File("existing.txt");
        File.WriteAllText(existing, "before");
        var outputs = new OutputSet();
        outputs.Add(folder.File("new/deeper/a.bin"), [1, 2, 3]);
        outputs.Add(existing, [4]);
        outputs.Add(folder.File("new/b.bin"), _ => throw new IOException("disk full"));

        Assert.Throws<IOException>(outputs.Commit);

        Assert.False(Directory.Exists(folder.File("new")));
        Assert.True(File.Exists(existing));
    }

    private static (int Code, string Error) Run(string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in new[] { SampleCommand.Create(), InterpolateCommand.Create(), TraverseCommand.Create(), ManifoldCommand.Create(), DecodeCommand.Create(), FitCommand.Create() })
        {
            root.Subcommands.Add(command);
        }

        (int code, _, string error) = CliRun.Run(root, args);
        return (code, error);
    }
}
