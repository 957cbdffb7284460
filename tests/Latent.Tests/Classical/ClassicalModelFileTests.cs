using Latent.Classical;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Classical;

[Trait("Category", "Kernels")]
public sealed class ClassicalModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("latent-classical-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EveryModelRoundTrips()
    {
        Tensor x = ClassicalTestData.Spectrum(300, [4, 2, 1, 0.5, 0.3], 1, out _);
        Tensor queries = ClassicalTestData.Spectrum(20, [4, 2, 1, 0.5, 0.3], 2, out _);

        var pca = new PcaOptions { Components = 3, Whiten = true }.Fit(x);
        var pcaBack = (PcaModel)SaveAndLoad(pca.Save, "pca");
        AssertClose(pca.Transform(queries), pcaBack.Transform(queries), 1e-4);
        Assert.Equal(pca.TotalVariance, pcaBack.TotalVariance);
        Assert.True(pcaBack.Options.Whiten);

        var ppca = new ProbabilisticPcaOptions { Components = 2 }.Fit(x);
        var ppcaBack = (ProbabilisticPcaModel)SaveAndLoad(ppca.Save, "ppca");
        Assert.Equal(ppca.ScoreSamples(queries), ppcaBack.ScoreSamples(queries), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Empty(ppcaBack.History);

        var fa = new FactorAnalysisOptions { Components = 2 }.Fit(x);
        var faBack = (FactorAnalysisModel)SaveAndLoad(fa.Save, "fa");
        AssertClose(fa.Transform(queries), faBack.Transform(queries), 1e-4);
        Assert.Equal(fa.History.Count, faBack.History.Count);

        var kmeans = new KMeansOptions { Clusters = 3, Seed = 1 }.Fit(x);
        var kmeansBack = (KMeansModel)SaveAndLoad(kmeans.Save, "kmeans");
        Assert.Equal(kmeans.Predict(queries), kmeansBack.Predict(queries));
        Assert.Equal(kmeans.Labels, kmeansBack.Labels);
        Assert.Equal(kmeans.Inertia, kmeansBack.Inertia);

        foreach (CovarianceType type in Enum.GetValues<CovarianceType>())
        {
            var gmm = new GaussianMixtureOptions { Components = 2, CovarianceType = type, Seed = 1 }.Fit(x);
            var gmmBack = (GaussianMixtureModel)SaveAndLoad(gmm.Save, "gmm");
            Assert.Equal(type, gmmBack.CovarianceType);
            Assert.Equal(gmm.ScoreSamples(queries), gmmBack.ScoreSamples(queries), (a, b) => Math.Abs(a - b) < 1e-3);
            Assert.Equal(gmm.History, gmmBack.History, (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public void WrongFilesGiveClearErrors()
    {
        Tensor x = ClassicalTestData.Spectrum(50, [2, 1, 0.5], 1, out _);
        string pcaPath = Path.Combine(_directory, "pca.safetensors");
        new PcaOptions { Components = 2 }.Fit(x).Save(pcaPath);
        Assert.Contains("holds a pca model, not kmeans", Assert.Throws<DataFormatException>(() => KMeansModel.Load(pcaPath)).Message);

        string plain = Path.Combine(_directory, "plain.safetensors");
        SafeTensors.Write(plain, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(2, 2) });
        Assert.Contains("not a Latent classical model", Assert.Throws<DataFormatException>(() => ClassicalModelFile.Load(plain)).Message);

        // A PCA file whose mean does not match its components.
        string bad = Path.Combine(_directory, "bad.safetensors");
        SafeTensorsFile file = SafeTensors.Read(pcaPath);
        var tensors = file.Tensors.ToDictionary(p => p.Key, p => p.Value);
        tensors["mean"] = Tensor.Zeros(4);
        SafeTensors.Write(bad, tensors, file.Metadata.ToDictionary(p => p.Key, p => p.Value));
        Assert.Contains("\"mean\" has shape [4], the options imply [3]", Assert.Throws<DataFormatException>(() => PcaModel.Load(bad)).Message);
    }

    private object SaveAndLoad(Action<string> save, string method)
    {
        string path = Path.Combine(_directory, method + Guid.NewGuid().ToString("N") + ".safetensors");
        save(path);
        Assert.Equal(method, ClassicalModelFile.Method(path));
        return ClassicalModelFile.Load(path);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }
}
