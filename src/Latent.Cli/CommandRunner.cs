using System.CommandLine;

namespace Latent.Cli;

/// <summary>Runs the parsed command and turns any error into one line on stderr and exit code 2.</summary>
internal static class CommandRunner
{
    public const int ErrorExitCode = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
            {
                Console.Error.WriteLine($"latent: error: {OneLine(parsed.Errors[0].Message)} (see latent --help)");
                return ErrorExitCode;
            }

            return parsed.Invoke(configuration);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"latent: error: {OneLine(exception.Message)}");
            return ErrorExitCode;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
