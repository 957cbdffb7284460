namespace Latent.Tests;

/// <summary>Where the repository's files are, found from the test assembly's folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds Latent.slnx, above tests/Latent.Tests/bin/&lt;configuration&gt;/&lt;framework&gt;/.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Latent.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No Latent.slnx above the test assembly.");
    }
}
