namespace Latent.Gallery;

/// <summary>
/// One figure or table of the lecture notes, reproduced: it runs its experiment through the public API
/// (the same calls the CLI commands make), draws the figure as the notes draw it and returns the measured
/// numbers beside the published ones.
/// </summary>
/// <remarks>
/// A figure holds no algorithm of its own: what it needs belongs in the library, with its own command and
/// tests. Subclasses are found by <see cref="GalleryCatalog"/> (public, sealed, a parameterless constructor)
/// and shown in <see cref="Order"/>.
/// </remarks>
public abstract class GalleryFigure
{
    /// <summary>The figure's id, used by <c>--only</c> and as its file name (e.g. "kmeans-steps").</summary>
    public abstract string Id { get; }

    /// <summary>Where the figure sits on the page (the gallery issue's numbering, 1 to 17).</summary>
    public abstract int Order { get; }

    /// <summary>The figure's title.</summary>
    public abstract string Title { get; }

    /// <summary>The section of the notes (and the cited paper's figure or table) it reproduces.</summary>
    public abstract string Source { get; }

    /// <summary>What the figure shows and what to see in it, in a few sentences.</summary>
    public abstract string Caption { get; }

    /// <summary>The commands a user would type to make the same figure (or its parts) alone, at <paramref name="scale"/>.</summary>
    public abstract IReadOnlyList<string> Commands(GalleryScale scale);

    /// <summary>Runs the experiment at <paramref name="context"/>'s scale and returns the figure and its numbers.</summary>
    public abstract GalleryOutcome Run(GalleryContext context);
}
