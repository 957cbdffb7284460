using System.CommandLine;
using Latent.Cli;
using Latent.Optim;
using Latent.Training;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class TrainOptimizerOptionsTests
{
    [Fact]
    public void EachOptimizerOptionReachesTheTrainerOptions()
    {
        var rmsprop = TrainCommand.ApplyOptimizer(new TrainerOptions { Optimizer = OptimizerKind.RmsProp }, new(Momentum: 0.5f, Epsilon: 1e-6f, RmsPropAlpha: 0.9f, Centered: true));
        Assert.Equal((0.5f, 1e-6f, 0.9f, true), (rmsprop.Momentum, rmsprop.Epsilon, rmsprop.RmsPropAlpha, rmsprop.Centered));
        Assert.Equal(1e-2f, rmsprop.OptimizerSettings.LearningRate);

        var adagrad = TrainCommand.ApplyOptimizer(new TrainerOptions { Optimizer = OptimizerKind.Adagrad }, new(LearningRate: 0.1f, InitialAccumulator: 0.1f, LearningRateDecay: 0.01f));
        Assert.Equal((0.1f, 0.1f, 0.01f), (adagrad.LearningRate, adagrad.InitialAccumulator, adagrad.LearningRateDecay));
        Assert.Equal(1e-10f, adagrad.OptimizerSettings.Epsilon);
    }

    [Theory]
    [InlineData("adam", "--momentum", "0.5", "--momentum: the adam optimizer has no momentum; it reads lr, beta1, beta2, eps, weight decay.")]
    [InlineData("sgd", "--eps", "1e-6", "--eps: the sgd optimizer has no eps")]
    [InlineData("adagrad", "--rmsprop-alpha", "0.9", "--rmsprop-alpha: the adagrad optimizer has no alpha")]
    [InlineData("adagrad", "--centered", null, "--centered: the adagrad optimizer has no centered")]
    [InlineData("rmsprop", "--initial-accumulator", "0.1", "--initial-accumulator: the rmsprop optimizer has no initial accumulator")]
    [InlineData("adamw", "--lr-decay", "0.1", "--lr-decay: the adamw optimizer has no lr decay")]
    public void AnOptionTheOptimizerDoesNotUseIsAOneLineError(string optimizer, string option, string? value, string expected)
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        string[] args = ["train", "ae", "--data", "digits-8x8", "--out", run, "--optimizer", optimizer, option, .. value is null ? Array.Empty<string>() : [value], "--quiet"];
        CliRun.Fails(Root(), expected, args);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void TrainsWithRmsPropAndAdagradFromTheCommandLine()
    {
        using var folder = new TempFolder();
        foreach (string[] extra in new[] { new[] { "--optimizer", "rmsprop", "--lr", "0.001", "--centered", "--momentum", "0.5" }, ["--optimizer", "adagrad", "--initial-accumulator", "0.1"] })
        {
            string run = folder.File(extra[1]);
            Assert.Equal(0, CommandRunner.Run(Root(), ["train", "ae", "--data", "digits-8x8", "--out", run, "--hidden", "16", "--latent", "4", "--epochs", "1", "--quiet", .. extra]));
            Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        }
    }

    [Fact]
    public void TiedAndDropoutReachTheModel()
    {
        using var folder = new TempFolder();
        string tied = folder.File("tied");
        Assert.Equal(0, CommandRunner.Run(Root(), ["train", "ksparse-ae", "--data", "digits-8x8", "--out", tied, "--tied", "--latent", "32", "--top-k", "8", "--epochs", "1", "--quiet"]));
        var model = RunFiles.LoadModel(tied);
        Assert.True(model.Options.TiedWeights);
        Assert.DoesNotContain("decoder.0.weight", model.StateDict().Keys);

        string dropout = folder.File("dropout");
        Assert.Equal(0, CommandRunner.Run(Root(), ["train", "ae", "--data", "digits-8x8", "--out", dropout, "--hidden", "16", "--dropout", "0.2", "--epochs", "1", "--quiet"]));
        Assert.Equal("fc16,drop0.2", RunFiles.LoadModel(dropout).Options.Encoder);

        CliRun.Fails(Root(), "tied weights need a model without hidden layers", "train", "ae", "--data", "digits-8x8", "--out", folder.File("bad"), "--tied", "--quiet");
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }
}
