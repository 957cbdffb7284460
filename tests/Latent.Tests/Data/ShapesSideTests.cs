using Latent.Data;
using Xunit;

namespace Latent.Tests.Data;

/// <summary><c>shapes:side=N</c>: the 64×64 images averaged over square blocks, with the same factors.</summary>
public sealed class ShapesSideTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    [InlineData(8)]
    public void EachPixelIsTheMeanOfItsBlockOfTheFullImage(int side)
    {
        int[] items = [0, 12_345, 400_000, 737_279];
        var full = new float[items.Length * 64 * 64];
        new ShapesSource().CopyRows(items, full);
        var small = new ShapesSource(side);
        var averaged = new float[items.Length * side * side];
        small.CopyRows(items, averaged);
        int block = 64 / side;
        for (int i = 0; i < items.Length; i++)
        {
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < block; dy++)
                    {
                        for (int dx = 0; dx < block; dx++)
                        {
                            sum += full[(i * 4096) + ((((y * block) + dy) * 64) + (x * block) + dx)];
                        }
                    }

                    Assert.Equal(sum / (block * block), averaged[(i * side * side) + (y * side) + x], 6);
                }
            }
        }

        Assert.Equal(side * side, small.Dimension);
        Assert.Equal($"shapes:side={side}", small.Name);
    }

    [Fact]
    public void TheCatalogOpensASideAndItsFactorsAndRefusesOthers()
    {
        var source = new DatasetCatalog().Open("shapes:side=16,n=50");
        Assert.Equal(256, source.Dimension);
        Assert.Equal(50, source.Count);
        var factors = DatasetCatalog.OpenFactors("shapes:side=16");
        Assert.NotNull(factors);
        Assert.Equal(256, factors!.Dimension);
        var error = Assert.ThrowsAny<ArgumentException>(() => new DatasetCatalog().Open("shapes:side=20"));
        Assert.Contains("side 20 is not one of 64, 32, 16, 8", error.Message, StringComparison.Ordinal);
    }
}
