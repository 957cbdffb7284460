namespace Latent.Gallery;

/// <summary>Every figure of the gallery, in page order, and the choice of some by id.</summary>
public static class GalleryCatalog
{
    private static readonly Lazy<IReadOnlyList<GalleryFigure>> s_all = new(Discover);

    /// <summary>All figures, in <see cref="GalleryFigure.Order"/>.</summary>
    public static IReadOnlyList<GalleryFigure> All => s_all.Value;

    /// <summary>The figure with id <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">No figure has that id (the message lists the ids).</exception>
    public static GalleryFigure Find(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return All.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.Ordinal))
            ?? throw new ArgumentException($"The gallery has no figure '{id}'; its figures are {string.Join(", ", All.Select(f => f.Id))}.");
    }

    /// <summary>The figures named in <paramref name="ids"/> (in page order, each once), or all when it is empty.</summary>
    public static IReadOnlyList<GalleryFigure> Select(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return All;
        }

        var chosen = ids.Select(Find).ToHashSet();
        return [.. All.Where(chosen.Contains)];
    }

    private static IReadOnlyList<GalleryFigure> Discover()
    {
        // Figures are discovered rather than listed so that adding one is adding its file; the order is theirs.
        var figures = typeof(GalleryFigure).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(GalleryFigure).IsAssignableFrom(t))
            .Select(t => (GalleryFigure)Activator.CreateInstance(t)!)
            .OrderBy(f => f.Order)
            .ToArray();
        var repeated = figures.GroupBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new InvalidOperationException($"Two gallery figures share the id '{repeated.Key}'.");
        }

        return figures;
    }
}
