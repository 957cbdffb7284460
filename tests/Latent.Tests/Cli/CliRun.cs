using System.CommandLine;
using Latent.Cli;

namespace Latent.Tests.Cli;

/// <summary>Runs a command line as <c>latent</c> does, capturing what it writes (tests in the "Console" collection).</summary>
internal static class CliRun
{
    /// <summary>The exit code and the captured standard output and error of <paramref name="args"/> run on <paramref name="root"/>.</summary>
    public static (int Code, string Output, string Error) Run(RootCommand root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (savedOut, savedError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = CommandRunner.Run(root, args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
        }
    }

    /// <summary>Runs <paramref name="args"/>, asserts a one-line error (exit 2) containing <paramref name="expected"/>, and returns it.</summary>
    public static string Fails(RootCommand root, string expected, params string[] args)
    {
        (int code, _, string error) = Run(root, args);
        Assert.Equal(CommandRunner.ErrorExitCode, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        return error;
    }
}
