using System.Xml.Linq;
using Latent.Classical;
using Latent.Cli;
using Latent.Data;
using Latent.Tensors;
using Latent.Tests.Classical;

namespace Latent.Tests.Cli;

[Trait("Category", "Kernels")]
public sealed class ClassicalCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("latent-cli-classical-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("pca", "explained-variance.svg")]
    [InlineData("ppca", "scatter.svg")]
    [InlineData("fa", "objective.svg")]
    [InlineData("kmeans", "objective.svg")]
    [InlineData("gmm", "objective.svg")]
    public void FitSavesTheModelAndDrawsIt(string method, string picture)
    {
        Dataset dataset = Images();
        string output = Path.Combine(_directory, method);
        var lines = FitCommand.Run(dataset, new FitCommand.Settings(method, 3, "auto", CovarianceType.Diagonal, 1, false, 1), output);
        Assert.Contains(lines, l => l.Contains("time", StringComparison.Ordinal));
        string model = Path.Combine(output, "model.safetensors");
        Assert.Equal(method, ClassicalModelFile.Method(model));
        XDocument.Parse(File.ReadAllText(Path.Combine(output, picture)));
        Assert.True(File.Exists(Path.Combine(output, "scatter.svg")));
        Assert.True(Directory.GetFiles(output, "*.png").Length == 1, "an image grid of components, loadings, centres or means");

        string codes = Path.Combine(_directory, method + ".npy");
        Tensor written = TransformCommand.Run(model, dataset, codes);
        Assert.Equal(dataset.Count, Npy.Read(codes).Shape[0]);
        Assert.Equal(3, written.Columns);
        string labels = Path.Combine(_directory, method + ".csv");
        if (method is "kmeans" or "gmm")
        {
            int[] predicted = PredictCommand.Run(model, dataset, labels);
            string[] lines2 = File.ReadAllLines(labels);
            Assert.Equal("label", lines2[0]);
            Assert.Equal(predicted.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines2.Skip(1));
        }
        else
        {
            Assert.Contains("does not predict labels", Assert.Throws<ArgumentException>(() => PredictCommand.Run(model, dataset, labels)).Message);
        }

        // The fit's folder works as well as its model file, as for the autoencoder commands; the format follows
        // the extension, and another extension is refused before anything is written.
        string csvCodes = Path.Combine(_directory, method + "-codes.csv");
        Assert.Equal(written.ToArray(), TransformCommand.Run(output, dataset, csvCodes).ToArray());
        Assert.Equal(dataset.Count + 1, File.ReadAllLines(csvCodes).Length);
        string wrong = Path.Combine(_directory, method + ".txt");
        Assert.Contains("should end in .npy or .csv", Assert.Throws<ArgumentException>(() => TransformCommand.Run(output, dataset, wrong)).Message);
        Assert.Contains("should end in .npy or .csv", Assert.Throws<ArgumentException>(() => PredictCommand.Run(output, dataset, wrong)).Message);
        Assert.False(File.Exists(wrong));
        if (method is "kmeans")
        {
            string npyLabels = Path.Combine(_directory, "labels.npy");
            Assert.Equal(PredictCommand.Run(output, dataset, npyLabels).Select(l => (float)l), Npy.Read(npyLabels).Values);
        }
    }

    [Fact]
    public void ImagesAreScaledToTheUnitRangeAsTrainScalesThemAndOtherDataAreNot()
    {
        Dataset digits = CliData.Load("digits-8x8", limit: 100);
        Assert.Equal(100, digits.Count);
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Max(digits.Features.Span));
        Assert.Equal(CliData.Load("digits-8x8").Features.Span[..6400].ToArray(), digits.Features.ToArray());

        Dataset moons = CliData.Load("moons");
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Min(moons.Features.Span) < 0, "moons are used as they are");
    }

    /// <summary>Three blobs of noisy 3 × 3 "images" with labels.</summary>
    [Theory]
    [InlineData("kmeans", "random", "Random")]
    [InlineData("kmeans", "auto", "PlusPlus")]
    [InlineData("gmm", "random", "Random")]
    [InlineData("gmm", "samples", "RandomSamples")]
    public void FitOnTwoDimensionalDataDrawsTheStepsWithTheChosenInit(string method, string init, string used)
    {
        Dataset blobs = Synthetic.Blobs(300, 3, 2, 4);
        string output = Path.Combine(_directory, method + init);
        var lines = FitCommand.Run(blobs, new FitCommand.Settings(method, 3, "auto", CovarianceType.Full, 1, false, 2, init, MaxIterations: 30), output);
        Assert.Contains(lines, l => l.Contains("init", StringComparison.Ordinal) && l.EndsWith(used, StringComparison.Ordinal));
        XDocument.Parse(File.ReadAllText(Path.Combine(output, "steps.svg")));
        byte[] png = File.ReadAllBytes(Path.Combine(output, "steps.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // Images (not 2-D) get no steps picture; a wrong --init names the choices.
        string images = Path.Combine(_directory, method + init + "-images");
        FitCommand.Run(Images(), new FitCommand.Settings(method, 3, "auto", CovarianceType.Diagonal, 1, false, 2, init), images);
        Assert.False(File.Exists(Path.Combine(images, "steps.svg")));
        Assert.Contains("--init for", Assert.Throws<ArgumentException>(() => FitCommand.Run(blobs, new FitCommand.Settings(method, 3, "auto", CovarianceType.Full, 1, false, 2, "sideways"), output)).Message);
    }

    [Fact]
    public void FactorAnalysisFitsImagesWithConstantPixelsAndTakesANoiseFloor()
    {
        Dataset digits = CliData.Load("digits-8x8", limit: 300);
        string output = Path.Combine(_directory, "fa-floor");
        FitCommand.Run(digits, new FitCommand.Settings("fa", 4, "auto", CovarianceType.Full, 1, false, 0, MaxIterations: 50, NoiseFloor: 1e-4), output);
        var model = Assert.IsType<FactorAnalysisModel>(ClassicalModelFile.Load(Path.Combine(output, "model.safetensors")));
        Assert.True(model.Iterations <= 50);
        Assert.Contains(model.NoiseVariance, v => Math.Abs(v - 1e-4) < 1e-9); // digits-8x8's corner pixel is always 0 (saved as float32)
        Assert.Contains("--init applies", Assert.Throws<ArgumentException>(() => FitCommand.Run(digits, new FitCommand.Settings("fa", 4, "auto", CovarianceType.Full, 1, false, 0, "random"), output)).Message);
    }

    private static Dataset Images()
    {
        var centres = new double[3, 9];
        for (int c = 0; c < 9; c++)
        {
            centres[0, c] = c % 3 == 0 ? 0.9 : 0.1;
            centres[1, c] = c / 3 == 1 ? 0.9 : 0.1;
            centres[2, c] = c == 4 ? 0.1 : 0.6;
        }

        Tensor x = ClassicalTestData.Blobs(centres, 40, 0.08, 3);
        int[] labels = Enumerable.Range(0, x.Rows).Select(i => i % 3).ToArray();
        return new Dataset("blobs3x3", x, labels, new ImageShape(1, 3, 3));
    }
}
