namespace Latent.Gallery;

/// <summary>
/// One number a figure measured, with the number the notes (or the paper they cite) publish for the same
/// quantity where there is one.
/// </summary>
/// <param name="Name">What was measured, e.g. "30-D autoencoder, squared error per image".</param>
/// <param name="Measured">Latent's value (NaN when it could not be measured, with <paramref name="Comment"/> saying why).</param>
/// <param name="Published">The published value, or null.</param>
/// <param name="Unit">The unit, e.g. "%", "nats", "°" (empty for a plain number).</param>
/// <param name="Comment">What differs from the published setting (data, size, epochs), or null.</param>
public sealed record GalleryNumber(string Name, double Measured, double? Published = null, string Unit = "", string? Comment = null);
