using Latent.Data;
using Latent.Serialization;

namespace Latent.Tests.Data;

/// <summary>
/// IDX and NPY have one length rule, applied by the whole-file readers and the memory-mapped reader alike:
/// the file ends exactly where its data ends. Both readers see the same truncated and padded files.
/// </summary>
public sealed class ArrayLengthRuleTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "a.idx", "a.npy" })
        {
            foreach (int change in new[] { -1, -7, 1, 3, 100 })
            {
                data.Add(name, change);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothReadersRejectTheSameFiles(string name, int change)
    {
        using var folder = new TempFolder();
        string path = folder.File(name);
        byte[] valid = Valid(name, folder);
        byte[] bytes = change < 0 ? valid[..^(-change)] : [.. valid, .. new byte[change]];
        File.WriteAllBytes(path, bytes);

        var whole = Assert.Throws<DataFormatException>(() => ArrayFiles.Read(path));
        var mapped = Assert.Throws<DataFormatException>(() => MappedSource.Open(path));
        Assert.Equal(whole.Message, mapped.Message);
        Assert.Contains(change < 0 ? "truncated" : $"{change} bytes after the data", whole.Message, StringComparison.Ordinal);
        var direct = name.EndsWith(".idx", StringComparison.Ordinal)
            ? Assert.Throws<DataFormatException>(() => Idx.Read(path))
            : Assert.Throws<DataFormatException>(() => Npy.Read(path));
        Assert.Equal(whole.Message, direct.Message);
    }

    [Theory]
    [InlineData("a.idx")]
    [InlineData("a.npy")]
    public void BothReadersReadTheSameValidFile(string name)
    {
        using var folder = new TempFolder();
        string path = folder.File(name);
        File.WriteAllBytes(path, Valid(name, folder));
        var whole = ArrayFiles.Read(path);
        using var mapped = MappedSource.Open(path);
        var rows = new float[whole.Values.Length];
        mapped.CopyRows([0, 1, 2], rows);
        Assert.Equal(whole.Values, rows);
    }

    [Fact]
    public void AFileNamedNpyIsHeldToNpyByBothReaders()
    {
        using var folder = new TempFolder();
        string path = folder.File("idx-named.npy");
        File.WriteAllBytes(path, Valid("a.idx", folder));
        Assert.Equal(
            Assert.Throws<DataFormatException>(() => ArrayFiles.Read(path)).Message,
            Assert.Throws<DataFormatException>(() => MappedSource.Open(path)).Message);
    }

    private static byte[] Valid(string name, TempFolder folder)
    {
        var array = new NumericArray([3, 2, 2], Enumerable.Range(0, 12).Select(i => (float)i).ToArray());
        if (name.EndsWith(".idx", StringComparison.Ordinal))
        {
            string raw = folder.File("valid.raw");
            Idx.Write(raw, array, ElementType.Int16, gzip: false);
            return File.ReadAllBytes(raw);
        }

        return Npy.Serialize(array, ElementType.Float32);
    }
}
