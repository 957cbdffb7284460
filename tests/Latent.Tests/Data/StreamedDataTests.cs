using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Tests.Data;

/// <summary>
/// Data the commands keep memory-mapped: the unit scaling, the run's fingerprint, --limit, the validation split and
/// training all give bitwise what the same data loaded whole gives.
/// </summary>
public sealed class StreamedDataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, int> Ranges => new()
    {
        { "uint8", 255 },     // 8-bit images: divided by 255
        { "uint8", 16 },      // 4-bit: divided by 16
        { "float32", -3 },    // images beyond the nominal ranges: their observed range
        { "float32", 1 },     // already in [0, 1]: as they are
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void AMappedFileIsScaledBitwiseAsTheLoadedOne(string type, int top)
    {
        string path = Write(type, top, 300, image: true);
        IFeatureSource mapped = CliData.Open(path, mappedBytes: 0);
        Dataset loaded = CliData.Load(path);

        Assert.IsNotType<Dataset>(mapped);
        Assert.Equal(loaded.Features.ToArray(), Rows(mapped));
        using (var raw = MappedSource.Open(path))
        {
            Assert.Equal(UnitScaling.Range(new DatasetCatalog().Load(path)), UnitScaling.Range(raw));
        }

        Assert.Equal(RunData.Of(loaded, 0.1), RunData.Of(mapped, 0.1));
    }

    [Fact]
    public void DataBeyondTheNominalRangesThatAreNotImagesStayAsTheyAre()
    {
        string path = Write("float32", -3, 200, image: false);
        using var mapped = MappedSource.Open(path);
        Assert.Null(UnitScaling.Range(mapped));
        Assert.Same(mapped, UnitScaling.Apply(mapped));
    }

    [Fact]
    public void LimitTakesTheFirstItemsOfTheWholeSetsScale()
    {
        string path = Write("uint8", 255, 300, image: true);
        IFeatureSource first = CliData.Open(path, limit: 50, mappedBytes: 0);
        Assert.Equal(50, first.Count);
        Assert.Equal(CliData.Load(path, limit: 50).Features.ToArray(), Rows(first));
        Assert.Throws<ArgumentException>(() => CliData.Open(path, limit: 0, mappedBytes: 0));
        Assert.Throws<ArgumentException>(() => CliData.Open(path, expectedInputs: 10, mappedBytes: 0));
    }

    [Fact]
    public void TheValidationSplitOfAMappedFileWithLabelsIsTheLoadedSetsSplit()
    {
        string path = Write("uint8", 255, 300, image: true);
        string labels = _folder.File("labels.npy");
        Npy.WriteLabels(labels, Enumerable.Range(0, 300).Select(i => i % 7).ToArray());
        using var mapped = MappedSource.Open(path, labels);
        var loaded = Dataset.FromSource(mapped);

        (IFeatureSource train, IFeatureSource validation) = ValidationSplit.Split(mapped, 0.2, 9);
        (Dataset expectedTrain, Dataset expectedValidation) = loaded.Split(0.2, 9);
        Assert.Equal(expectedTrain.Features.ToArray(), Rows(train));
        Assert.Equal(expectedValidation.Features.ToArray(), Rows(validation));
        Assert.Equal(expectedValidation.Labels, Labels(validation));
        Assert.Equal($"{mapped.Name}/validation", validation.Name);
    }

    [Fact]
    public void TrainingOnAMappedFileWritesTheModelAndRecordOfTrainingOnItLoaded()
    {
        string path = Write("uint8", 255, 400, image: false);
        var options = new TrainingRunOptions
        {
            Model = Presets.Defaults("vae", 64) with { Hidden = [32], Latent = 4, Seed = 3 },
            Trainer = new TrainerOptions { Epochs = 2, BatchSize = 50, LearningRate = 3e-3f, Seed = 5 },
            ValidationFraction = 0.1,
        };
        string memoryFolder = _folder.File("memory"), mappedFolder = _folder.File("mapped");
        var fromMemory = TrainingRun.Train(options, CliData.Load(path), memoryFolder);
        var fromMapped = TrainingRun.Train(options, CliData.Open(path, mappedBytes: 0), mappedFolder);

        foreach (((string name, Tensor a), (_, Tensor b)) in fromMemory.Model.StateDict().Zip(fromMapped.Model.StateDict()))
        {
            Assert.True(a.Span.SequenceEqual(b.Span), $"{name} differs");
        }

        Assert.Equal(File.ReadAllText(RunFiles.RunDataPath(memoryFolder)), File.ReadAllText(RunFiles.RunDataPath(mappedFolder)));
    }

    [Theory]
    [InlineData("kmeans", "inertia")]
    [InlineData("pca", "explained variance")]
    [InlineData("fa", "mean log-likelihood")]
    public void FitOnAMappedFileReportsWhatTheLoadedFitReports(string method, string row)
    {
        string path = Write("uint8", 255, 300, image: true);
        var settings = new FitCommand.Settings(method, 3, "auto", Latent.Classical.CovarianceType.Diagonal, 1, false, 1);
        var loaded = FitCommand.Run(CliData.Load(path), settings, _folder.File($"{method}-loaded"));
        var mapped = FitCommand.Run(CliData.Open(path, mappedBytes: 0), settings, _folder.File($"{method}-mapped"));

        Assert.Contains(mapped, line => line.Contains("(memory-mapped)", StringComparison.Ordinal));
        Assert.Equal(Assert.Single(loaded, line => line.Contains(row, StringComparison.Ordinal)), Assert.Single(mapped, line => line.Contains(row, StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(_folder.File($"{method}-mapped"), "model.safetensors")));
    }

    /// <summary>Writes n items of 8×8 (or 64 flat) values up to <paramref name="top"/> (from −top when negative) as an NPY of <paramref name="type"/>.</summary>
    private string Write(string type, int top, int n, bool image)
    {
        var rng = new Rng((ulong)(top + 100));
        var values = new float[n * 64];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = top switch
            {
                1 => rng.NextFloat(),
                < 0 => (float)(rng.NextGaussian() * -top),
                _ => rng.NextInt(top + 1),
            };
        }

        string path = _folder.File($"{type}-{top}-{n}-{image}.npy");
        Npy.Write(path, new NumericArray(image ? [n, 8, 8] : [n, 64], values), type == "uint8" ? ElementType.UInt8 : ElementType.Float32);
        return path;
    }

    private static float[] Rows(IFeatureSource source)
    {
        var values = new float[source.Count * source.Dimension];
        source.CopyRows(Enumerable.Range(0, source.Count).ToArray(), values);
        return values;
    }

    private static int[] Labels(IFeatureSource source)
    {
        var labels = new int[source.Count];
        source.CopyLabels(Enumerable.Range(0, source.Count).ToArray(), labels);
        return labels;
    }
}
