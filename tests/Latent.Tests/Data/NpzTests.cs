using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Data;
using Latent.Serialization;
using Latent.Tests.Serialization;

namespace Latent.Tests.Data;

/// <summary>numpy's .npz archives, stored and deflated: arrays picked by name, defaults, limits.</summary>
public class NpzTests
{
    private static readonly float[] s_images = NpySpecWriter.Values(5 * 2 * 3, ElementType.UInt8, 1);

    private static byte[] Archive(CompressionLevel level, params string[] names) =>
        NpySpecWriter.Npz(names.Select(name => (name, name switch
        {
            "labels" or "y" => NpySpecWriter.Array([5], [3, 1, 4, 1, 5], ElementType.Int64, false, false),
            _ => NpySpecWriter.Array([5, 2, 3], s_images, ElementType.UInt8, false, fortran: name == "x"),
        })), level);

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void ArraysArePickedByNameOrByTheDefaults(CompressionLevel level)
    {
        using var folder = new TempFolder();
        string path = folder.File("data.npz");
        File.WriteAllBytes(path, Archive(level, "images", "labels", "x", "y"));
        var catalog = new DatasetCatalog();
        foreach (string spec in new[] { $"{path}:x=images,y=labels", $"{path}:x=x,y=y", path })
        {
            var set = catalog.Load(spec);
            Assert.Equal(s_images, set.Features.ToArray());
            Assert.Equal([3, 1, 4, 1, 5], set.Labels!);
            Assert.Equal("1×2×3", set.ImageShape?.ToString());
        }

        Assert.Equal(["images", "labels", "x", "y"], Npz.Names(path));
        Assert.Equal(s_images, Npz.Read(path, "x").Values);
        File.WriteAllBytes(path, Archive(level, "images", "labels"));
        Assert.Equal([3, 1, 4, 1, 5], ((Dataset)catalog.Open(path)).Labels!);
        File.WriteAllBytes(path, Archive(level, "arr_0"));
        Assert.Null(catalog.Load(path).Labels);
    }

    [Fact]
    public void NamesThatAreNotThereAreErrorsListingTheArrays()
    {
        using var folder = new TempFolder();
        string path = folder.File("data.npz");
        File.WriteAllBytes(path, Archive(CompressionLevel.Optimal, "arr_0", "arr_1"));
        var catalog = new DatasetCatalog();
        Assert.Contains("choose the features with x=NAME", Assert.Throws<DataFormatException>(() => catalog.Load(path)).Message);
        Assert.Contains("no array 'images' (it holds arr_0, arr_1)", Assert.Throws<DataFormatException>(() => catalog.Load($"{path}:x=images")).Message);
        Assert.Contains("labels are a vector", Assert.Throws<DataFormatException>(() => catalog.Load($"{path}:x=arr_0,y=arr_0")).Message);
        File.WriteAllBytes(path, Archive(CompressionLevel.Optimal, "x", "y"));
        Assert.Contains("takes", Assert.Throws<ArgumentException>(() => catalog.Load($"{path}:labels=y.npy")).Message);
    }

    [Fact]
    public void StructuredMembersTakeLabelFields()
    {
        using var folder = new TempFolder();
        string path = folder.File("s.npz");
        File.WriteAllBytes(path, NpySpecWriter.Npz([("table", NpyStructuredTests.Records(6))], CompressionLevel.Optimal));
        var set = new DatasetCatalog().Load($"{path}:label=cls");
        Assert.Equal([0, 1, 2, 0, 1, 2], set.Labels!);
        Assert.Equal(5, set.Dimension);
    }

    [Fact]
    public void LyingSizesCorruptDataAndForeignMembersAreRefused()
    {
        using var folder = new TempFolder();
        string path = folder.File("b.npz");

        // A deflated member claiming 2 GB from a few hundred bytes: more than deflate can expand to.
        var bomb = Archive(CompressionLevel.Optimal, "x");
        SetUncompressedSize(bomb, 0x7FFF_0000);
        File.WriteAllBytes(path, bomb);
        Assert.Contains("more than", Assert.Throws<DataFormatException>(() => Npz.Read(path, "x")).Message);

        // A stored member whose last data byte changed: the CRC-32 catches it.
        var corrupt = Archive(CompressionLevel.NoCompression, "x");
        int central = Find(corrupt, 0x02014b50);
        corrupt[central - 1] ^= 0x5A;
        File.WriteAllBytes(path, corrupt);
        Assert.Contains("CRC-32", Assert.Throws<DataFormatException>(() => Npz.Read(path, "x")).Message);

        using (var archive = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        {
            archive.CreateEntry("notes.txt");
        }

        Assert.Contains("not an NPY file", Assert.Throws<DataFormatException>(() => Npz.Names(path)).Message);
        File.WriteAllBytes(path, [0x50, 0x4B, 3, 4, 0, 0]);
        Assert.Contains("not a readable zip archive", Assert.Throws<DataFormatException>(() => Npz.Names(path)).Message);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedArchivesRaiseOnlyFormatErrors()
    {
        using var folder = new TempFolder();
        string path = folder.File("f.npz");
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Optimal })
        {
            var valid = Archive(level, "x", "y");
            Assert.InRange(FuzzHelper.Run(valid, b => { File.WriteAllBytes(path, b); Npz.Load(path); }, 1500, seed: level == CompressionLevel.Optimal ? 43UL : 44UL), 100, 1500);
        }
    }

    // The uncompressed size in the first local header (offset 22) and central directory entry (offset 24).
    private static void SetUncompressedSize(byte[] zip, uint size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(Find(zip, 0x04034b50) + 22), size);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(Find(zip, 0x02014b50) + 24), size);
    }

    private static int Find(byte[] zip, uint signature)
    {
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == signature)
            {
                return i;
            }
        }

        throw new InvalidOperationException("signature not found");
    }
}
