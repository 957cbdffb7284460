using System.CommandLine;
using System.Globalization;

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
        catch (OutOfMemoryException)
        {
            // The readers and commands check sizes before they allocate; this is the last line of defence, so that even
            // an input they missed ends in one line and exit 2, not an abort.
            long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            Console.Error.WriteLine($"latent: error: out of memory: the input or the options ask for more than the {limit / (1 << 20):N0} MiB this process may use.");
            return ErrorExitCode;
        }
        catch (Exception exception)
        {
            // An ArgumentException's Message ends in "(Parameter 'x')", which names code, not the user's input.
            string message = exception is ArgumentException { ParamName: not null } argument
                ? argument.Message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal)
                : exception.Message;
            Console.Error.WriteLine($"latent: error: {OneLine(message)}");
            return ErrorExitCode;
        }
    }

    /// <summary>The most characters of a message printed: a message naming thousands of items is cut, saying how much was left out.</summary>
    internal const int MaxMessageLength = 2000;

    private static string OneLine(string message)
    {
        string line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxMessageLength
            ? line
            : string.Create(CultureInfo.InvariantCulture, $"{line[..MaxMessageLength]}… ({line.Length - MaxMessageLength:N0} more characters)");
    }
}
