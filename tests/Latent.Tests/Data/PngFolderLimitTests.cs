using System.IO.Compression;
using Latent.Data;
using Latent.Serialization;
using Latent.Tests.Serialization;

namespace Latent.Tests.Data;

/// <summary>A folder of PNGs is sized from every file's IHDR, and refused, before any image is decoded.</summary>
[Trait("Category", "Fuzz")]
public sealed class PngFolderLimitTests
{
    [Fact]
    public void FortyLargeImagesAreRefusedBeforeAnyIsDecoded()
    {
        using var folder = new TempFolder();
        // 40 valid 8000×8000 grey images of 62 KB each: 2.56 billion pixels in all, beyond the 2^31 limit.
        byte[] image = ZeroImage(8000, 8000);
        for (int i = 0; i < 40; i++)
        {
            File.WriteAllBytes(folder.File($"{i:D2}.png"), image);
        }

        // The last file is damaged after its header: decoding anything before the total check would report it.
        byte[] damaged = (byte[])image.Clone();
        damaged[^20] ^= 0xFF;
        File.WriteAllBytes(folder.File("39.png"), damaged);
        var error = Assert.Throws<DataFormatException>(() => PngFolder.Load(folder.Path));
        Assert.Contains("40 images of 1×8000×8000 exceed the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesAreComparedBeforeDecoding()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a.png"), Png.Encode(new PngImage(2, 2, PngColor.Grey, new byte[4])));
        byte[] other = ZeroImage(3, 3);
        other[^20] ^= 0xFF;
        File.WriteAllBytes(folder.File("b.png"), other);
        Assert.Contains("the image is 3×3 but", Assert.Throws<DataFormatException>(() => PngFolder.Load(folder.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderClaimingMoreThanItsFileCanHoldIsRefusedFromTheHeader()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("a.png"), ReaderFuzzTests.PngFile(16000, 16000, [1, 2, 3]));
        Assert.Contains("compressed bytes can hold", Assert.Throws<DataFormatException>(() => PngFolder.Load(folder.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesThatFitTheLimitButNotMemoryAreRefusedBeforeAllocating()
    {
        // 20 × 64 M pixels is within the element limit but needs 5 GB of floats: only meaningful where less is free.
        long needed = 20L * 8000 * 8000 * 4;
        if (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= needed)
        {
            return;
        }

        using var folder = new TempFolder();
        byte[] image = ZeroImage(8000, 8000);
        for (int i = 0; i < 20; i++)
        {
            File.WriteAllBytes(folder.File($"{i:D2}.png"), image);
        }

        Assert.Contains("MiB", Assert.Throws<DataFormatException>(() => PngFolder.Load(folder.Path)).Message, StringComparison.Ordinal);
    }

    /// <summary>A valid all-black grey PNG, compressed row by row so the test never holds its pixels.</summary>
    private static byte[] ZeroImage(int width, int height)
    {
        var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1];
            for (int y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        return ReaderFuzzTests.PngFile(width, height, idat.ToArray());
    }
}
