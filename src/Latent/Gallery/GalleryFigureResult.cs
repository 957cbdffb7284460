namespace Latent.Gallery;

/// <summary>
/// One figure's entry in a gallery run, as results.json and the page show it: what it reproduces, how long
/// it took, its numbers and tables, and the error if it failed.
/// </summary>
public sealed record GalleryFigureResult
{
    /// <summary>The figure's id.</summary>
    public required string Id { get; init; }

    /// <summary>The figure's title.</summary>
    public required string Title { get; init; }

    /// <summary>The section of the notes it reproduces.</summary>
    public required string Source { get; init; }

    /// <summary>What the figure shows.</summary>
    public required string Caption { get; init; }

    /// <summary>The commands that make it alone.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>The scale it ran at ("toy", "quick" or "full").</summary>
    public required string Scale { get; init; }

    /// <summary>The seed it ran with.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The Latent version that ran it (a finished figure is reused only by the same version).</summary>
    public required string Version { get; init; }

    /// <summary>Wall-clock seconds the experiment took (when it was run, not when it was reused).</summary>
    public double Seconds { get; init; }

    /// <summary>The data it used, in words.</summary>
    public string Data { get; init; } = string.Empty;

    /// <summary>The measured numbers beside the published ones.</summary>
    public IReadOnlyList<GalleryNumber> Numbers { get; init; } = [];

    /// <summary>The tables it reproduces.</summary>
    public IReadOnlyList<GalleryTable> Tables { get; init; } = [];

    /// <summary>The PNG's file name in the output folder (null when it failed).</summary>
    public string? Png { get; init; }

    /// <summary>The SVG's file name in the output folder (null when it failed).</summary>
    public string? Svg { get; init; }

    /// <summary>Why the figure failed, or null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>Whether this entry was taken from an earlier run in the same folder.</summary>
    public bool Reused { get; init; }
}
