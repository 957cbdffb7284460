using System.Xml.Linq;
using Latent.Classical;
using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Tests.Visuals;

public sealed class ClassicalPicturesTests
{
    // 200 labelled 8×8 digits in [0, 1].
    private static readonly Dataset s_digits = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Take(200);

    [Fact]
    public void PcaDrawsItsExplainedVarianceItsComponentsAndTheCodes()
    {
        PcaModel model = new PcaOptions { Components = 5 }.Fit(s_digits.Features);
        var pictures = ClassicalPictures.Of(model, s_digits);
        Assert.Equal(["explained-variance.svg", "components.png", "scatter.svg"], pictures.Select(p => p.FileName));

        // The curve: the ratio per component, and its running sum ending at the total.
        Chart variance = Assert.IsType<ChartPicture>(pictures[0]).Chart;
        var lines = variance.Series.Cast<LineSeries>().ToArray();
        Assert.Equal(model.ExplainedVarianceRatio, lines[0].Y);
        Assert.Equal(model.ExplainedVarianceRatio.Sum(), lines[1].Y[^1], 12);
        Assert.Equal(["per component", "cumulative"], variance.Legend.Select(e => e.Label));

        // The grid: five 8×8 tiles, three to a row; each component's largest magnitude is black or white.
        PngImage grid = Assert.IsType<ImagePicture>(pictures[1]).Image;
        Assert.Equal((2 + (3 * 10), 2 + (2 * 10)), (grid.Width, grid.Height));
        ReadOnlySpan<double> first = model.Component(0);
        int peak = 0;
        for (int i = 1; i < first.Length; i++)
        {
            peak = Math.Abs(first[i]) > Math.Abs(first[peak]) ? i : peak;
        }

        Assert.Equal(first[peak] > 0 ? 255 : 0, grid[2 + (peak % 8), 2 + (peak / 8), 0]);

        // The scatter: the codes on the first two components, coloured by the data's labels.
        ScatterSeries points = Assert.IsType<ScatterSeries>(Assert.Single(Assert.IsType<ChartPicture>(pictures[2]).Chart.Series));
        using Tensor codes = model.Transform(s_digits.Features);
        Assert.Equal(s_digits.Count, points.X.Count);
        Assert.Equal(codes[17, 0], points.X[17], 6);
        Assert.Equal(codes[17, 1], points.Y[17], 6);
        Assert.Equal(s_digits.Labels, points.Classes);
    }

    [Fact]
    public void KMeansDrawsItsInertiaItsCentresAndItsClusters()
    {
        KMeansModel model = new KMeansOptions { Clusters = 4, Seed = 2, RecordHistory = true }.Fit(s_digits.Features);
        var pictures = ClassicalPictures.Of(model, s_digits);
        Assert.Equal(["objective.svg", "centres.png", "scatter.svg"], pictures.Select(p => p.FileName));

        // Lloyd's iterations never raise the inertia.
        var inertia = Assert.IsType<LineSeries>(Assert.Single(Assert.IsType<ChartPicture>(pictures[0]).Chart.Series)).Y;
        Assert.Equal(model.History.Select(h => h.Inertia), inertia);
        Assert.All(inertia.Zip(inertia.Skip(1)), p => Assert.True(p.Second <= p.First * (1 + 1e-9)));

        // Centres are in the data's units ([0, 1] here), shown as they are: 2 × 2 tiles of 8 × 8.
        PngImage grid = Assert.IsType<ImagePicture>(pictures[1]).Image;
        Assert.Equal((22, 22), (grid.Width, grid.Height));
        using Tensor centres = model.Centres;
        Assert.Equal((byte)MathF.Round(255f * centres[0, 10]), grid[2 + 2, 2 + 1, 0]);

        ScatterSeries points = Assert.IsType<ScatterSeries>(Assert.Single(Assert.IsType<ChartPicture>(pictures[2]).Chart.Series));
        Assert.Equal(model.Labels, points.Classes);
        Assert.Equal(4, Assert.IsType<ChartPicture>(pictures[2]).Chart.Legend.Count);
    }

    [Fact]
    public void DataThatAreNotImagesGetNoGrid()
    {
        var flat = new Dataset("flat", s_digits.Features);
        KMeansModel model = new KMeansOptions { Clusters = 3, RecordHistory = true }.Fit(flat.Features);
        var pictures = ClassicalPictures.Of(model, flat);
        Assert.Equal(["objective", "scatter"], pictures.Select(p => p.Name));
        Assert.Equal(model.Labels, Assert.IsType<ScatterSeries>(((ChartPicture)pictures[1]).Chart.Series[0]).Classes);

        // Unlabelled codes of a PCA are drawn in one colour, without a legend.
        var pca = ClassicalPictures.Of(new PcaOptions { Components = 2 }.Fit(flat.Features), flat);
        Assert.Equal(["explained-variance", "scatter"], pca.Select(p => p.Name));
        Assert.Null(Assert.IsType<ScatterSeries>(((ChartPicture)pca[1]).Chart.Series[0]).Classes);
        Assert.Empty(((ChartPicture)pca[1]).Chart.Legend);
    }

    [Fact]
    public void TheLatentGaussianModelsAndTheMixtureDrawTheirPictures()
    {
        Assert.Equal(["objective", "loadings", "scatter"],
            ClassicalPictures.Of(new ProbabilisticPcaOptions { Components = 3, Solver = PpcaSolver.Em }.Fit(s_digits.Features), s_digits).Select(p => p.Name));
        // Factor analysis needs every feature to vary: the digits' blank corners get a little noise.
        var rng = new Rng(5);
        float[] values = s_digits.Features.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += 0.01f * (float)rng.NextGaussian();
        }

        var noisy = new Dataset("noisy digits", Tensor.FromArray(values, s_digits.Count, s_digits.Dimension), s_digits.Labels, s_digits.ImageShape);
        Assert.Equal(["objective", "loadings", "scatter"],
            ClassicalPictures.Of(new FactorAnalysisOptions { Components = 3 }.Fit(noisy.Features), noisy).Select(p => p.Name));
        var mixture = new GaussianMixtureOptions { Components = 3, CovarianceType = CovarianceType.Diagonal }.Fit(s_digits.Features);
        var pictures = ClassicalPictures.Of(mixture, s_digits);
        Assert.Equal(["objective", "means", "scatter"], pictures.Select(p => p.Name));
        Assert.Equal(mixture.Predict(s_digits.Features), ((ScatterSeries)((ChartPicture)pictures[2]).Chart.Series[0]).Classes);
    }

    [Fact]
    public void PicturesAreWrittenAsSvgAndPngFiles()
    {
        var pictures = ClassicalPictures.Of(new PcaOptions { Components = 2 }.Fit(s_digits.Features), s_digits);
        using var folder = new TempFolder();
        var paths = Picture.WriteAll(pictures, folder.Path);
        Assert.Equal(pictures.Select(p => folder.File(p.FileName)), paths);
        Assert.Equal("svg", XDocument.Parse(File.ReadAllText(paths[0])).Root!.Name.LocalName);
        PngImage grid = Png.Read(paths[1]);
        Assert.Equal(((ImagePicture)pictures[1]).Image.Pixels, grid.Pixels);
        Assert.Equal(3, Directory.GetFiles(folder.Path).Length); // no temporary file left behind
    }
}
