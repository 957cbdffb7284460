using System.Xml.Linq;
using Latent.Data;
using Latent.Gallery;

namespace Latent.Tests.Gallery;

/// <summary>The k-means, Gaussian-mixture EM and FA/PPCA figures at toy size: each claim checked on the outcome's numbers.</summary>
public sealed class ClassicalFiguresTests
{
    [Fact]
    public void KMeansStepsLowersTheInertiaEveryIterationAndConverges()
    {
        GalleryOutcome outcome = Run(new KMeansStepsFigure());
        double initial = Number(outcome, "inertia of the random initial centres");
        double first = Number(outcome, "inertia after iteration 1");
        double second = Number(outcome, "inertia after iteration 2");
        double final = Number(outcome, "inertia at convergence");
        Assert.True(initial > first && first >= second && second >= final, $"inertia {initial} -> {first} -> {second} -> {final}");
        Assert.Equal(0, Number(outcome, "largest rise of the inertia"));
        Assert.InRange(Number(outcome, "iterations to converge"), 3, 299);
        // Lloyd's local optimum from random centres is in the region of k-means++'s (both are three blobs of one cloud).
        Assert.InRange(final, 0.8 * Number(outcome, "from k-means++"), 1.25 * Number(outcome, "from k-means++"));
    }

    [Fact]
    public void GmmEmNeverLowersTheLogLikelihood()
    {
        GalleryOutcome outcome = Run(new GmmEmFigure());
        Assert.Equal(0, Number(outcome, "largest fall of the log-likelihood"), 1e-6);
        double initial = Number(outcome, "initial μ⁰, Σ⁰"), final = Number(outcome, "at convergence");
        Assert.True(final > initial + 0.05, $"log-likelihood {initial} -> {final}");
        Assert.True(Number(outcome, "mean log-likelihood after iteration 5") >= Number(outcome, "mean log-likelihood after iteration 1") - 1e-9);
        Assert.InRange(Number(outcome, "EM iterations"), 5, 60);
    }

    [Fact]
    public void FactorAnalysisAndPpcaClimbOnImagesWithConstantPixels()
    {
        GalleryOutcome outcome = Run(new FaPpcaFigure());
        // digits-8x8 has always-blank pixels: factor analysis fits them at the noise floor instead of failing.
        Assert.True(Number(outcome, "pixels at the noise floor") >= 1);
        Assert.True(double.IsFinite(Number(outcome, "factor analysis: mean log-likelihood")));
        Assert.Equal(0, Number(outcome, "factor analysis: largest fall"), 1e-6);
        Assert.Equal(0, Number(outcome, "probabilistic PCA (EM): largest fall"), 1e-6);
        // EM reaches probabilistic PCA's closed-form maximum (from below).
        double gap = Number(outcome, "EM's gap to the closed-form maximum");
        Assert.InRange(gap, -1e-6, 0.05);
    }

    private static GalleryOutcome Run(GalleryFigure figure)
    {
        using var folder = new TempFolder();
        var context = new GalleryContext(figure.Id, GalleryScale.Toy, folder.Path, new DatasetCatalog(), seed: 0);
        GalleryOutcome outcome = figure.Run(context);
        Assert.IsType(figure.GetType(), GalleryCatalog.Find(figure.Id));
        Assert.NotEmpty(figure.Commands(GalleryScale.Quick));
        Assert.All(outcome.Numbers, n => Assert.False(double.IsNaN(n.Measured), n.Name));
        byte[] png = outcome.Figure.ToPng();
        Assert.True(png.Length > 1000);
        XDocument.Parse(outcome.Figure.ToSvg());
        return outcome;
    }

    /// <summary>The number whose name is <paramref name="part"/>, or else the one number whose name contains it.</summary>
    private static double Number(GalleryOutcome outcome, string part) =>
        (outcome.Numbers.FirstOrDefault(n => n.Name == part) ?? Assert.Single(outcome.Numbers, n => n.Name.Contains(part, StringComparison.Ordinal))).Measured;
}
