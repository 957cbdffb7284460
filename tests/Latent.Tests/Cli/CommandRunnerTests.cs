using System.CommandLine;
using Latent.Cli;

namespace Latent.Tests.Cli;

/// <summary>Whatever a command throws ends in one bounded line on stderr and exit code 2.</summary>
[Collection("Console")]
public class CommandRunnerTests
{
    [Fact]
    public void AHugeMessageIsCutToOneBoundedLineSayingHowMuchWasLeftOut()
    {
        string names = string.Join(", ", Enumerable.Range(0, 20_000).Select(i => $"tensor.{i}"));
        string error = CliRun.Fails(Throwing(new ArgumentException($"unexpected tensors:\n{names}")), "unexpected tensors: tensor.0, tensor.1", "go");
        Assert.True(error.Length < CommandRunner.MaxMessageLength + 100, $"{error.Length} characters");
        Assert.Matches(@"… \([0-9,]+ more characters\)$", error.Trim());
    }

    [Fact]
    public void OutOfMemoryIsAOneLineErrorNotAnAbort()
    {
        CliRun.Fails(Throwing(new OutOfMemoryException()), "latent: error: out of memory: the input or the options ask for more than the", "go");
    }

    private static RootCommand Throwing(Exception exception)
    {
        var command = new Command("go");
        command.SetAction(new Func<ParseResult, int>(_ => throw exception));
        var root = new RootCommand("test");
        root.Subcommands.Add(command);
        return root;
    }
}
