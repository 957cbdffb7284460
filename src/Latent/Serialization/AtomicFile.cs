namespace Latent.Serialization;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, which is then renamed
/// over the destination, so a reader never sees a half-written file and a crash leaves the old one intact.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <remarks>
    /// The temporary file sits in the destination's folder so that the rename stays on one file system
    /// (a rename across file systems is a copy, and not atomic). On any failure the temporary file is
    /// deleted and the destination is left as it was.
    /// </remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Deletes the temporary files that <see cref="Write"/> leaves in <paramref name="folder"/> when its process is
    /// killed mid-write; returns how many it deleted. Call it only while no other writer can be active in the
    /// folder (a run holds the folder's lock): a temporary file of this process is kept.
    /// </summary>
    public static int RemoveTemporaries(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        string mine = $".{Environment.ProcessId}.";
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            string name = System.IO.Path.GetFileName(path);
            if (IsTemporaryName(name) && !name.Contains(mine, StringComparison.Ordinal))
            {
                TryDelete(path);
                removed += File.Exists(path) ? 0 : 1;
            }
        }

        return removed;
    }

    /// <summary>Whether <paramref name="name"/> has the form of <see cref="Write"/>'s temporary files: ".NAME.PID.GUID.tmp".</summary>
    private static bool IsTemporaryName(string name)
    {
        string[] parts = name[..^".tmp".Length].Split('.');
        return parts.Length >= 4 && parts[0].Length == 0
            && parts[^2].Length > 0 && parts[^2].All(char.IsAsciiDigit)
            && parts[^1].Length == 32 && parts[^1].All(char.IsAsciiHexDigitLower);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
