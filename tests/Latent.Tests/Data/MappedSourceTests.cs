using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class MappedSourceTests
{
    [Theory]
    [InlineData("idx", ElementType.UInt8)]
    [InlineData("idx", ElementType.Float32)]
    [InlineData("npy", ElementType.Float64)]
    [InlineData("npy", ElementType.Int32)]
    public void StreamsTheSameRowsAsLoading(string format, ElementType type)
    {
        using var folder = new TempFolder();
        var rng = new Rng(2);
        int n = 300, h = 4, w = 5;
        var values = new float[n * h * w];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextInt(200);
        }

        string path = folder.File("images." + format);
        var array = new NumericArray([n, h, w], values);
        if (format == "idx")
        {
            Idx.Write(path, array, type, gzip: false);
        }
        else
        {
            Npy.Write(path, array, type);
        }

        string labels = folder.File("labels.npy");
        Npy.WriteLabels(labels, Enumerable.Range(0, n).Select(i => i % 3).ToArray());
        var loaded = ArrayFiles.Load(path, labels);
        using var mapped = MappedSource.Open(path, labels);
        Assert.Equal((loaded.Count, loaded.Dimension, loaded.ImageShape), (mapped.Count, mapped.Dimension, mapped.ImageShape));
        Assert.Equal(new ImageShape(1, h, w), mapped.ImageShape);

        using var fromFile = new Batcher(mapped, new BatchOptions { BatchSize = 64 }, 4);
        using var fromMemory = new Batcher(loaded, new BatchOptions { BatchSize = 64 }, 4);
        var a = new List<float>();
        var b = new List<float>();
        var labelsA = new List<int>();
        foreach (var batch in fromFile.NextEpoch())
        {
            a.AddRange(batch.Features.ToArray());
            labelsA.AddRange(batch.Labels.ToArray());
        }

        foreach (var batch in fromMemory.NextEpoch())
        {
            b.AddRange(batch.Features.ToArray());
        }

        Assert.Equal(b, a);
        Assert.Equal(n, labelsA.Count);
    }

    [Fact]
    public void RefusesCompressedAndTruncatedFiles()
    {
        using var folder = new TempFolder();
        string gz = folder.File("a.gz");
        Idx.Write(gz, new NumericArray([2, 2], [1, 2, 3, 4]), gzip: true);
        Assert.Contains("gzip-compressed", Assert.Throws<DataFormatException>(() => MappedSource.Open(gz)).Message);
        string raw = folder.File("b.idx");
        Idx.Write(raw, new NumericArray([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]), gzip: false);
        File.WriteAllBytes(raw, File.ReadAllBytes(raw)[..^3]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => MappedSource.Open(raw)).Message);
    }
}
