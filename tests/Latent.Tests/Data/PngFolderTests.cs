using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class PngFolderTests
{
    [Fact]
    public void LabelsComeFromSubFolderNames()
    {
        using var folder = new TempFolder();
        foreach (var (cls, value) in new[] { ("cat", 10), ("ant", 20) })
        {
            Directory.CreateDirectory(folder.File(cls));
            for (int i = 0; i < 2; i++)
            {
                Png.Write(Path.Combine(folder.File(cls), $"{i}.png"), new PngImage(3, 2, PngColor.Grey, Enumerable.Repeat((byte)(value + i), 6).ToArray()));
            }
        }

        var data = PngFolder.Load(folder.Path);
        Assert.Equal(new ImageShape(1, 2, 3), data.ImageShape);
        Assert.Equal(["ant", "cat"], PngFolder.ClassNames(folder.Path));
        Assert.Equal([0, 0, 1, 1], data.Labels!);
        Assert.Equal([20f, 21f, 10f, 11f], Enumerable.Range(0, 4).Select(i => data.Features[i, 0]));
    }

    [Fact]
    public void ColourImagesAreChannelMajorAndSizesMustAgree()
    {
        using var folder = new TempFolder();
        Png.Write(folder.File("a.png"), new PngImage(2, 1, PngColor.Rgba, [1, 2, 3, 255, 4, 5, 6, 255]));
        Png.Write(folder.File("b.png"), new PngImage(2, 1, PngColor.Grey, [7, 8]));
        var data = PngFolder.Load(folder.Path);
        Assert.Null(data.Labels);
        Assert.Equal(new ImageShape(3, 1, 2), data.ImageShape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], data.Row(0).ToArray());
        Assert.Equal([7f, 8, 7, 8, 7, 8], data.Row(1).ToArray());
        Png.Write(folder.File("c.png"), new PngImage(3, 1, PngColor.Grey, [1, 2, 3]));
        Assert.Contains("every image in a folder must have one size", Assert.Throws<DataFormatException>(() => PngFolder.Load(folder.Path)).Message);
    }
}
