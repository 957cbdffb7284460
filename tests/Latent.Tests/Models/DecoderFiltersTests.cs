using System.Numerics.Tensors;
using Latent.Models;
using Latent.Nn;

namespace Latent.Tests.Models;

public class DecoderFiltersTests
{
    [Fact]
    public void TiedFiltersAreTheCodeLayersRows()
    {
        var model = new Autoencoder(Presets.Defaults("ksparse-ae", 16) with { Latent = 6, TopK = 2, TiedWeights = true, Seed = 2 });
        var weight = model.Bottleneck.Parameters().Single(p => p.Name == "linear.weight").Parameter.Value;
        using var filters = DecoderFilters.Of(model);
        Assert.Equal([6, 16], filters.Shape);
        Assert.Equal(weight.ToArray(), filters.ToArray());
    }

    [Fact]
    public void UntiedFiltersAreTheDecodersColumnsAndImagesSpanTheUnitRange()
    {
        var model = new Autoencoder(Presets.Defaults("linear-ae", 9) with { Latent = 3, Seed = 3 });
        var linear = Assert.IsType<Linear>(model.Decoder[0]);
        using var filters = DecoderFilters.Of(model);
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(linear.Weight.Value[i, j], filters[j, i]);
            }
        }

        using var images = DecoderFilters.Images(model, 2);
        Assert.Equal([2, 9], images.Shape);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(0f, TensorPrimitives.Min(images.Row(j)), 1e-6f);
            Assert.Equal(1f, TensorPrimitives.Max(images.Row(j)), 1e-6f);
        }
    }

    [Fact]
    public void ADeepDecoderHasNoFilters()
    {
        var model = new Autoencoder(Presets.Defaults("ae", 16) with { Latent = 2, Encoder = "fc4", Decoder = "fc4" });
        Assert.Contains("not one linear map", Assert.Throws<ArgumentException>(() => DecoderFilters.Of(model)).Message, StringComparison.Ordinal);
    }
}
