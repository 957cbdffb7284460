using System.Text;
using Latent.Data;
using Latent.Serialization;
using Latent.Visuals;

namespace Latent.Cli;

/// <summary>
/// The files one command writes, gathered (rendered to bytes where possible) while everything that can fail is
/// computed, then written together by <see cref="Commit"/>: if one write fails, the files and folders this
/// command created are removed again, so a failed command leaves nothing half-done behind.
/// </summary>
internal sealed class OutputSet
{
    private readonly List<(string Path, Action<string> Write)> _outputs = [];

    /// <summary>Adds a file whose content is already rendered.</summary>
    public string Add(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Add(path, target => AtomicFile.WriteAllBytes(target, bytes));
    }

    /// <summary>Adds a file written by <paramref name="write"/> (an atomic save, e.g. a model's) given its path.</summary>
    public string Add(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        _outputs.Add((path, write));
        return path;
    }

    /// <summary>Adds pictures as files of <paramref name="directory"/>, rendered now; returns their paths.</summary>
    public IReadOnlyList<string> AddPictures(IEnumerable<Picture> pictures, string directory)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        var paths = new List<string>();
        foreach (var picture in pictures)
        {
            byte[] bytes = picture switch
            {
                ChartPicture chart => Encoding.UTF8.GetBytes(chart.ToSvg()),
                ImagePicture image => Png.Encode(image.Image),
                _ => throw new ArgumentException($"No rendering for a {picture.GetType().Name}.", nameof(pictures)),
            };
            paths.Add(Add(Path.Combine(directory, picture.FileName), bytes));
        }

        return paths;
    }

    /// <summary>
    /// Writes every file in order, creating the folders they need; on a failure removes every file and folder
    /// it created (files that existed before are left, possibly already replaced) and rethrows.
    /// </summary>
    public void Commit()
    {
        var createdFiles = new List<string>();
        var createdFolders = new List<string>();
        try
        {
            foreach ((string path, Action<string> write) in _outputs)
            {
                string full = Path.GetFullPath(path);
                CreateFolders(Path.GetDirectoryName(full), createdFolders);
                bool existed = File.Exists(full) || Directory.Exists(full);
                write(full);
                if (!existed)
                {
                    createdFiles.Add(full);
                }
            }
        }
        catch
        {
            foreach (string file in createdFiles)
            {
                TryRun(() => File.Delete(file));
            }

            // Innermost first, and only while empty: a folder someone else wrote into meanwhile stays.
            for (int i = createdFolders.Count - 1; i >= 0; i--)
            {
                string folder = createdFolders[i];
                TryRun(() => Directory.Delete(folder, recursive: false));
            }

            throw;
        }
    }

    // Creates the folder and its missing parents, recording those it created, outermost first.
    private static void CreateFolders(string? folder, List<string> created)
    {
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder))
        {
            return;
        }

        CreateFolders(Path.GetDirectoryName(folder), created);
        Directory.CreateDirectory(folder);
        created.Add(folder);
    }

    private static void TryRun(Action action)
    {
        try
        {
            action();
        }
        catch (IOException)
        {
            // Best effort: the original error is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
