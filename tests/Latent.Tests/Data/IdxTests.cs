using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Data;
using Latent.Serialization;
using Latent.Tests.Serialization;

namespace Latent.Tests.Data;

public class IdxTests
{
    public static TheoryData<ElementType, bool> Types()
    {
        var data = new TheoryData<ElementType, bool>();
        foreach (var type in new[] { ElementType.UInt8, ElementType.Int8, ElementType.Int16, ElementType.Int32, ElementType.Float32, ElementType.Float64 })
        {
            data.Add(type, true);
            data.Add(type, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void RoundTripsEveryElementType(ElementType type, bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.File("a.idx");
        float[] values = type switch
        {
            ElementType.UInt8 => [0, 1, 127, 255, 3, 9],
            ElementType.Int8 => [-128, -1, 0, 1, 127, 5],
            ElementType.Int16 => [-32768, -2, 0, 300, 32767, 9],
            ElementType.Int32 => [-16777216, -5, 0, 70000, 16777216, 1],
            _ => [-1.5f, 0.25f, 3.0e10f, -7e-20f, 0, 1],
        };
        Idx.Write(path, new NumericArray([2, 3], values), type, gzip);
        var read = Idx.Read(path);
        Assert.Equal([2, 3], read.Shape);
        Assert.Equal(values, read.Values);
        Assert.Equal(type, read.StoredType);
        Assert.Equal(gzip, File.ReadAllBytes(path)[0] == 0x1F);
        Assert.Equal([2, 3], Idx.ReadHeader(path).Shape);
    }

    [Fact]
    public void ReadsTheBundledMnistSample()
    {
        var images = Idx.Read(Path.Combine(AppContext.BaseDirectory, "data", "mnist-10k", "images-idx3-ubyte.gz"));
        Assert.Equal([10000, 28, 28], images.Shape);
        Assert.Equal(255f, images.Values.Max());
        Assert.Equal(0f, images.Values.Min());
    }

    [Fact]
    public void HugeClaimedSizesAreRejectedBeforeAllocating()
    {
        // 2^20 × 2^20 = 2^40 elements in a 12-byte file.
        var bytes = Header(0x08, 1 << 20, 1 << 20);
        var exception = Assert.Throws<DataFormatException>(() => Idx.Parse(bytes, "huge.idx"));
        Assert.Contains("larger than the limit", exception.Message);

        // A plausible count that the gzip stream cannot possibly hold.
        var small = Header(0x08, 1 << 30);
        var gz = Gzip(small);
        exception = Assert.Throws<DataFormatException>(() => Idx.Parse(gz, "bomb.idx.gz"));
        Assert.Contains("compressed bytes can hold", exception.Message);
    }

    [Fact]
    public void CorruptFilesGiveClearErrors()
    {
        Assert.Contains("wrong magic", Assert.Throws<DataFormatException>(() => Idx.Parse([1, 2, 8, 1, 0, 0, 0, 0], "m")).Message);
        Assert.Contains("unknown IDX element type 0x07", Assert.Throws<DataFormatException>(() => Idx.Parse(Header(0x07, 1), "t")).Message);
        var truncated = Header(0x08, 10).Concat(new byte[5]).ToArray();
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => Idx.Parse(truncated, "short")).Message);
        var extra = Header(0x08, 2).Concat(new byte[5]).ToArray();
        Assert.Contains("bytes after the data", Assert.Throws<DataFormatException>(() => Idx.Parse(extra, "long")).Message);
        var gzTruncated = Gzip(Header(0x08, 10).Concat(new byte[5]).ToArray());
        Assert.Contains("ends after", Assert.Throws<DataFormatException>(() => Idx.Parse(gzTruncated, "short.gz")).Message);
        var gzCut = Gzip(Header(0x08, 100).Concat(new byte[100]).ToArray())[..20];
        Assert.Throws<DataFormatException>(() => Idx.Parse(gzCut, "cut.gz"));
        Assert.Contains("0 dimensions", Assert.Throws<DataFormatException>(() => Idx.Parse([0, 0, 8, 0], "r")).Message);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedFilesRaiseOnlyFormatErrors()
    {
        var values = Enumerable.Range(0, 60).Select(i => (float)(i * 3 % 256)).ToArray();
        var raw = Bytes(values, ElementType.UInt8, gzip: false);
        var gz = Bytes(values, ElementType.Int16, gzip: true);
        Assert.InRange(FuzzHelper.Run(raw, b => Idx.Parse(b, "fuzz"), 3000, seed: 1), 500, 3000);
        Assert.InRange(FuzzHelper.Run(gz, b => Idx.Parse(b, "fuzz.gz"), 2000, seed: 2), 500, 2000);
    }

    private static byte[] Bytes(float[] values, ElementType type, bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.File("x");
        Idx.Write(path, new NumericArray([values.Length / 6, 6], values), type, gzip);
        return File.ReadAllBytes(path);
    }

    internal static byte[] Header(byte type, params int[] shape)
    {
        var bytes = new byte[4 + (4 * shape.Length)];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * i)), (uint)shape[i]);
        }

        return bytes;
    }

    internal static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }
}
