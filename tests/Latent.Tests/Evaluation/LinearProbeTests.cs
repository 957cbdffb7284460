using Latent.Data;
using Latent.Evaluation;
using Latent.Models;

namespace Latent.Tests.Evaluation;

public class LinearProbeTests
{
    [Fact]
    public void SeparableBlobsAreClassifiedAndMoonsAreNot()
    {
        var blobs = Synthetic.Blobs(400, clusters: 3, dimension: 5, seed: 1, spread: 0.3f);
        var easy = LinearProbe.Measure(blobs, 0.25, 2);
        Assert.Equal(100, easy.HeldOutItems);
        Assert.Equal(5, easy.Features);
        Assert.True(easy.HeldOutError < 0.02, $"blobs held-out error {easy.HeldOutError}");

        var moons = Synthetic.Moons(400, seed: 3, noise: 0.05f);
        var hard = LinearProbe.Measure(moons, 0.25, 2);
        Assert.True(hard.HeldOutError > 0.05, $"moons held-out error {hard.HeldOutError}: no line separates them");
    }

    [Fact]
    public void ProbesTheEncodersCodes()
    {
        var blobs = Synthetic.Blobs(300, clusters: 2, dimension: 4, seed: 4, spread: 0.3f);
        var model = new Autoencoder(Presets.Defaults("ae", 4) with { Encoder = "fc8", Decoder = "fc8", Latent = 3, Likelihood = LikelihoodKind.Gaussian });
        var result = LinearProbe.Measure(blobs, 0.2, 1, model);
        Assert.Equal(3, result.Features);
        Assert.Throws<ArgumentException>(() => LinearProbe.Measure(new Dataset("x", blobs.Features), 0.2, 1));
    }
}
