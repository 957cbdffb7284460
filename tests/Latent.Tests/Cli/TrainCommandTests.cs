using System.CommandLine;
using Latent.Cli;
using Latent.Data;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class TrainCommandTests
{
    [Fact]
    public void TrainWritesTheRunFolderAndResumeContinuesIt()
    {
        using var folder = new TempFolder();
        string run = folder.File("vae");
        string[] common = ["train", "vae", "--data", "digits-8x8", "--out", run, "--hidden", "32", "--latent", "4", "--batch", "100", "--seed", "2", "--quiet"];
        Assert.Equal(0, CommandRunner.Run(Root(), [.. common, "--epochs", "1"]));
        string[] files = Directory.GetFiles(run).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["checkpoint.safetensors", "history.csv", "history.json", "model.safetensors", "run-data.json"], files);
        Assert.Equal("digits-8x8", SafeTensors.Read(Path.Combine(run, "model.safetensors")).Metadata["latent.data"]);

        Assert.Equal(0, CommandRunner.Run(Root(), [.. common, "--epochs", "2", "--resume"]));
        var history = RunFiles.LoadHistory(run)!;
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(64, RunFiles.LoadModel(run).Inputs);
    }

    [Fact]
    public void ResumingWithoutACheckpointIsOneLineAndLeavesNoFolder()
    {
        using var folder = new TempFolder();
        string run = folder.File("none");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, CommandRunner.Run(Root(), ["train", "vae", "--data", "digits-8x8", "--out", run, "--resume", "--quiet"]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("no checkpoint to resume from", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void CliDataChecksTheModelsInputSizeAndTheLimit()
    {
        Assert.Contains("the model takes 784", Assert.Throws<ArgumentException>(() => CliData.Load("digits-8x8", expectedInputs: 784)).Message, StringComparison.Ordinal);
        Assert.Contains("--limit must be positive", Assert.Throws<ArgumentException>(() => CliData.Load("digits-8x8", limit: 0)).Message, StringComparison.Ordinal);
        Dataset all = CliData.Load("digits-8x8", expectedInputs: 64, limit: 5000);
        Assert.Equal(1797, all.Count);
        Assert.Equal(UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8")).Features.ToArray(), all.Features.ToArray());
    }

    [Fact]
    public void LimitTrainsOnTheFirstItemsAsFitDoes()
    {
        using var folder = new TempFolder();
        string[] common = ["train", "ae", "--data", "digits-8x8", "--out", folder.File("ae"), "--hidden", "8", "--latent", "2", "--epochs", "1", "--batch", "10"];
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = CommandRunner.Run(Root(), [.. common, "--limit", "40"]);
        }
        finally
        {
            Console.SetOut(previous);
        }

        Assert.Equal(0, code);
        Assert.Contains("data digits-8x8: 40 × ", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, CommandRunner.Run(Root(), [.. common, "--limit", "0"]));
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }
}
