namespace Latent.Serialization;

/// <summary>
/// The one error Latent raises for a file it cannot read: wrong magic, truncated, impossible sizes, a bad
/// checksum, a value that is not a number. The message names the file and what is wrong, on one line.
/// </summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the error for <paramref name="path"/> with a description of the problem.</summary>
    public DataFormatException(string path, string problem, Exception? innerException = null)
        : base($"{Describe(path)}: {OneLine(problem)}", innerException)
    {
        Path = path;
        Problem = OneLine(problem);
    }

    /// <summary>The file (or a description of the stream) that is malformed.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    private static string Describe(string path) => string.IsNullOrEmpty(path) ? "<stream>" : path;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
