namespace Latent.Training;

/// <summary>
/// An exclusive hold on a run folder while a run writes it, so that two processes training into one folder
/// cannot interleave their files: the second is refused with a message naming the folder.
/// </summary>
/// <remarks>
/// The hold is an OS file lock on <c>.latent.lock</c> in the folder (an open with no sharing, which .NET takes
/// as <c>flock</c> on Unix), so it ends with the process however the process ends: a run killed with
/// <c>kill -9</c> leaves at most the empty lock file, which the next run takes over.
/// </remarks>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the run folder.</summary>
    public const string FileName = ".latent.lock";

    private readonly FileStream _stream;

    private RunFolderLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the hold on <paramref name="folder"/> (which must exist).</summary>
    /// <exception cref="IOException">Another process (or another run in this one) holds the folder.</exception>
    public static RunFolderLock Acquire(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        try
        {
            return new RunFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e)
        {
            throw new IOException($"{folder}: another latent run is writing this run folder (it holds {FileName}); wait for it to finish or choose another --out.", e);
        }
    }

    /// <summary>Releases the hold (the lock file is deleted).</summary>
    public void Dispose() => _stream.Dispose();
}
