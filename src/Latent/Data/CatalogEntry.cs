namespace Latent.Data;

/// <summary>What the catalog knows about one data set on this machine.</summary>
/// <param name="Name">The catalog name.</param>
/// <param name="Kind">bundled, system (found on the machine or downloaded) or synthetic.</param>
/// <param name="Description">What the data is.</param>
/// <param name="Found">Whether it can be loaded now without a download.</param>
/// <param name="Location">Where it was found (or "generated"), or why not.</param>
/// <param name="Count">Number of items (of the default split), when known.</param>
/// <param name="Shape">The item shape, such as 1×28×28 or 2, when known.</param>
public sealed record CatalogEntry(string Name, string Kind, string Description, bool Found, string Location, int? Count, string? Shape);
