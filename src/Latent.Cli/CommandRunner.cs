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
            // An ArgumentException's Message ends in "(Parameter 'x')", which names code, not the user's input.
            string message = exception is ArgumentException { ParamName: not null } argument
                ? argument.Message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal)
                : exception.Message;
            Console.Error.WriteLine($"latent: error: {OneLine(message)}");
            return ErrorExitCode;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
