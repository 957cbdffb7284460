using Latent.Data;

namespace Latent.Gallery;

/// <summary>What <see cref="GalleryRunner.Run"/> runs: which figures, at which scale, into which folder.</summary>
public sealed record GalleryRunOptions
{
    /// <summary>The output folder: index.html, results.json, one PNG and one SVG per figure, and the trained parts under parts/.</summary>
    public required string Folder { get; init; }

    /// <summary>The figures to run, in page order.</summary>
    public required IReadOnlyList<GalleryFigure> Figures { get; init; }

    /// <summary>The experiments' size.</summary>
    public GalleryScale Scale { get; init; } = GalleryScale.Full;

    /// <summary>The seed every figure derives its random choices from.</summary>
    public ulong Seed { get; init; }

    /// <summary>Where data sets are found.</summary>
    public DatasetCatalog Catalog { get; init; } = new();

    /// <summary>Run every figure again even where an earlier run in the folder finished it (trained parts are still reused).</summary>
    public bool Rerun { get; init; }

    /// <summary>Receives progress, or null.</summary>
    public IGalleryProgress? Progress { get; init; }
}
