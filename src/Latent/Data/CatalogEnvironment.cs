namespace Latent.Data;

/// <summary>Where the <see cref="DatasetCatalog"/> looks, injectable so that tests do not depend on the machine.</summary>
public sealed record CatalogEnvironment
{
    /// <summary>The <c>LATENT_DATA</c> folder (searched first), or null.</summary>
    public string? LatentData { get; init; }

    /// <summary>The user's home folder; <c>~/.latent/datasets</c> is searched second and receives downloads.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>The system data-set folder (Debian's <c>/usr/share/datasets</c>).</summary>
    public string? SystemDatasets { get; init; } = "/usr/share/datasets";

    /// <summary>The repository's <c>data/</c> folder with the bundled sets, or null when not found.</summary>
    public string? BundledData { get; init; }

    /// <summary>Downloads missing sets; null for no downloading.</summary>
    public IDatasetFetcher? Fetcher { get; init; }

    /// <summary>The user's folder of data sets, <c>~/.latent/datasets</c>.</summary>
    public string? UserDatasets => HomeDirectory is null ? null : Path.Combine(HomeDirectory, ".latent", "datasets");

    /// <summary>This machine: the environment variable, the home folder, the bundled data next to the program, HTTP downloads.</summary>
    public static CatalogEnvironment FromMachine() => new()
    {
        LatentData = Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } latentData ? latentData : null,
        HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : null,
        BundledData = FindBundledData(),
        Fetcher = new HttpDatasetFetcher(TimeSpan.FromSeconds(60)),
    };

    /// <summary>The bundled <c>data/</c> folder: next to the program (copied at build), else in a parent folder (a source checkout).</summary>
    public static string? FindBundledData()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "data");
                if (File.Exists(Path.Combine(candidate, "NOTICE")) && Directory.Exists(Path.Combine(candidate, "mnist-10k")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
