using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

public class LearnedVarianceFigureTests
{
    [Fact]
    public void TheLearnedSigmaIsTheRmsReconstructionError()
    {
        var figure = new LearnedVarianceFigure();
        using var folder = new TempFolder();
        var outcome = figure.Run(new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0));
        double sigma = VaeLatentSizeFigureTests.Number(outcome, "final σ (learned)");
        double rms = VaeLatentSizeFigureTests.Number(outcome, "RMS reconstruction error per pixel, z ~ q(z|x), training images");

        // σ starts at 1; at the optimum σ² is the mean squared error per pixel.
        Assert.InRange(rms, 0.05, 0.5);
        Assert.InRange(sigma / rms, 0.9, 1.1);
        Assert.NotEmpty(outcome.Figure.ToPng());
        Assert.Contains("<svg", outcome.Figure.ToSvg(), StringComparison.Ordinal);
    }
}
