using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>What a figure's experiment produced: its picture, its numbers beside the published ones, its tables.</summary>
/// <param name="Figure">The figure as the notes draw it (written as one PNG and one SVG).</param>
/// <param name="Numbers">Every number measured, with the published values beside them where the notes quote one.</param>
/// <param name="Tables">Tables the figure reproduces (may be empty).</param>
/// <param name="Data">The data the experiment used, in words (e.g. "mnist-10k: 9,000 train, 1,000 held out"): published numbers are usually for full MNIST.</param>
public sealed record GalleryOutcome(PlotFigure Figure, IReadOnlyList<GalleryNumber> Numbers, IReadOnlyList<GalleryTable> Tables, string Data);
