using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class ModelFileTests
{
    [Theory]
    [InlineData("vae")]
    [InlineData("ksparse-ae")]
    [InlineData("sparse-ae")]
    public void SaveAndLoadGiveIdenticalOutputs(string preset)
    {
        var model = new Autoencoder(ModelTestData.Small(preset, o => o with { Likelihood = preset == "vae" ? LikelihoodKind.GaussianLearnedPerDimension : o.Likelihood }));
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 300);
        ModelTestData.Train(model, data, epochs: 2);
        string path = Path.Combine(Path.GetTempPath(), $"latent-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(model, path);
            var loaded = ModelFile.Load(path);
            Assert.Equal(model.Options.ToJson(), loaded.Options.ToJson());
            Assert.Equal(model.Parameters().Select(p => p.Name), loaded.Parameters().Select(p => p.Name));
            Assert.Equal(model.Encode(data).ToArray(), loaded.Encode(data).ToArray());
            Assert.Equal(model.Reconstruct(data).ToArray(), loaded.Reconstruct(data).ToArray());
            Assert.Equal(model.Score(data, new Rng(2)), loaded.Score(data, new Rng(2)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TensorsAreNamedAsPyTorchWould()
    {
        var names = new Autoencoder(ModelTestData.Small("vae", o => o with { Likelihood = LikelihoodKind.GaussianLearnedShared }))
            .Parameters().Select(p => p.Name).ToArray();
        Assert.Equal(
            ["encoder.0.weight", "encoder.0.bias", "bottleneck.mean.weight", "bottleneck.mean.bias", "bottleneck.log_var.weight", "bottleneck.log_var.bias",
             "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias", "likelihood.log_var"],
            names);
    }

    [Fact]
    public void AFileThatIsNotAModelIsRejectedByName()
    {
        string path = Path.Combine(Path.GetTempPath(), $"latent-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Write(path, new Dictionary<string, Tensor> { ["x"] = Tensor.Zeros(2) });
            var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(path));
            Assert.Contains("not a Latent autoencoder", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
