using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class CodePriorTests
{
    [Theory]
    [InlineData("standard", CodePriorKind.Standard, 1, "standard")]
    [InlineData("normal", CodePriorKind.Standard, 1, "standard")]
    [InlineData("Gaussian", CodePriorKind.Gaussian, 1, "gaussian")]
    [InlineData("gmm:10", CodePriorKind.Mixture, 10, "gmm10")]
    public void ParseReadsTheThreeForms(string text, CodePriorKind kind, int components, string name)
    {
        var spec = CodePriorSpec.Parse(text);
        Assert.Equal((kind, components, name), (spec.Kind, spec.Components, spec.Name));
    }

    [Theory]
    [InlineData("gmm")]
    [InlineData("gmm:0")]
    [InlineData("gmm:-2")]
    [InlineData("gmm:x")]
    [InlineData("uniform")]
    public void ParseRejectsOtherTextNamingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => CodePriorSpec.Parse(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStandardPriorDrawsUnitNormalCodes()
    {
        var codes = CodePrior.Standard(3).SampleCodes(20_000, 5);
        Assert.Equal([20_000, 3], codes.Shape);
        (double[] mean, double[] variance) = Moments(codes);
        Assert.All(mean, m => Assert.InRange(m, -0.03, 0.03));
        Assert.All(variance, v => Assert.InRange(v, 0.96, 1.04));
    }

    [Fact]
    public void AFittedGaussianDrawsCodesWithTheCodesMeanAndSpread()
    {
        var rng = new Rng(1);
        var codes = Tensor.Zeros(5000, 2);
        for (int i = 0; i < codes.Rows; i++)
        {
            codes[i, 0] = (float)(4 + (3 * rng.NextGaussian()));
            codes[i, 1] = (float)(-2 + (0.5 * rng.NextGaussian()));
        }

        var prior = CodePrior.FitCodes(codes, CodePriorSpec.Gaussian);
        (double[] mean, double[] variance) = Moments(prior.SampleCodes(20_000, 2));
        Assert.InRange(mean[0], 3.85, 4.15);
        Assert.InRange(mean[1], -2.05, -1.95);
        Assert.InRange(variance[0], 8.4, 9.6);
        Assert.InRange(variance[1], 0.23, 0.27);
    }

    [Fact]
    public void AFittedMixtureDrawsFromEachClusterInRandomOrder()
    {
        var rng = new Rng(3);
        var codes = Tensor.Zeros(2000, 2);
        for (int i = 0; i < codes.Rows; i++)
        {
            float centre = i % 2 == 0 ? -10 : 10;
            codes[i, 0] = centre + (float)(0.3 * rng.NextGaussian());
            codes[i, 1] = (float)(0.3 * rng.NextGaussian());
        }

        var prior = CodePrior.FitCodes(codes, CodePriorSpec.Mixture(2), seed: 4);
        var draws = prior.SampleCodes(400, 9);
        int left = 0, switches = 0;
        for (int i = 0; i < draws.Rows; i++)
        {
            Assert.InRange(Math.Abs(draws[i, 0]), 8.5, 11.5);
            left += draws[i, 0] < 0 ? 1 : 0;
            switches += i > 0 && (draws[i, 0] < 0) != (draws[i - 1, 0] < 0) ? 1 : 0;
        }

        Assert.InRange(left, 150, 250);
        Assert.True(switches > 100, $"only {switches} switches between clusters: the draws are grouped, not shuffled");
    }

    [Fact]
    public void APriorFittedToAModelsCodesSavesLoadsAndDecodes()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        var data = ModelTestData.Rows(ModelTestData.Digits, 0, 300);
        var prior = CodePrior.Fit(model, new Latent.Data.TensorSource(data), CodePriorSpec.Mixture(3), seed: 1);
        Assert.Equal(model.Latent, prior.Latent);
        Assert.Equal(3, prior.Mixture!.Components);
        string path = folder.File("prior.safetensors");
        prior.Save(path);
        var loaded = CodePrior.Load(path, CodePriorSpec.Mixture(3), model.Latent);
        // The file keeps float32 parameters: the draws agree to float precision.
        float[] before = prior.SampleCodes(7, 11).Span.ToArray(), after = loaded.SampleCodes(7, 11).Span.ToArray();
        Assert.Equal(before.Length, after.Length);
        Assert.All(before.Zip(after), p => Assert.Equal(p.First, p.Second, 1e-4f));
        var samples = loaded.Sample(model, 7, 11);
        Assert.Equal(model.Decode(loaded.SampleCodes(7, 11)).Span.ToArray(), samples.Span.ToArray());

        var wrong = Assert.Throws<DataFormatException>(() => CodePrior.Load(path, CodePriorSpec.Mixture(4), model.Latent));
        Assert.Contains("3-component", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => CodePrior.Standard(2).Save(folder.File("none.safetensors")));
        Assert.Throws<ArgumentException>(() => CodePrior.Standard(3).Sample(model, 2, 0));
    }

    private static (double[] Mean, double[] Variance) Moments(Tensor codes)
    {
        int n = codes.Rows, d = codes.Columns;
        var mean = new double[d];
        var variance = new double[d];
        for (int j = 0; j < d; j++)
        {
            for (int i = 0; i < n; i++)
            {
                mean[j] += codes[i, j] / (double)n;
            }

            for (int i = 0; i < n; i++)
            {
                variance[j] += (codes[i, j] - mean[j]) * (codes[i, j] - mean[j]) / n;
            }
        }

        return (mean, variance);
    }
}
