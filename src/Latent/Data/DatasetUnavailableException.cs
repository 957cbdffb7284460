namespace Latent.Data;

/// <summary>A named data set that is neither on this machine nor downloadable now; the message says how to get it.</summary>
public sealed class DatasetUnavailableException : IOException
{
    /// <summary>Data set <paramref name="name"/> is unavailable; <paramref name="message"/> says how to get it (line breaks become spaces).</summary>
    public DatasetUnavailableException(string name, string message, Exception? innerException = null)
        : base(message.ReplaceLineEndings(" ").Trim(), innerException)
    {
        DatasetName = name;
    }

    /// <summary>The catalog name asked for.</summary>
    public string DatasetName { get; }
}
