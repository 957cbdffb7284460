using Latent.Data;
using Latent.Models;
using Latent.Tests.Models;
using Latent.Training;

namespace Latent.Tests.Training;

public class RunPriorTests
{
    [Fact]
    public void AFittedPriorIsSavedInTheRunFolderAndReusedUntilTheModelChanges()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        ModelFile.Save(model, RunFiles.ModelPath(folder.Path), new Dictionary<string, string> { [RunFiles.DataMetadataKey] = "digits-8x8" });
        var data = new TensorSource(ModelTestData.Rows(ModelTestData.Digits, 0, 400), "digits-8x8");
        var asked = new List<string>();
        IFeatureSource Load(string name)
        {
            asked.Add(name);
            return data;
        }

        var spec = CodePriorSpec.Mixture(2);
        var first = RunPrior.Resolve(folder.Path, model, spec, Load, seed: 3);
        Assert.False(first.Reused);
        Assert.Equal("digits-8x8", first.DataName);
        Assert.Equal(folder.File("prior-gmm2.safetensors"), first.Path);
        Assert.True(File.Exists(first.Path));

        var second = RunPrior.Resolve(folder.Path, model, spec, Load, seed: 3);
        Assert.True(second.Reused);
        Assert.Equal(["digits-8x8"], asked);
        Assert.Equal(first.Prior.SampleCodes(5, 1).Span.ToArray(), second.Prior.SampleCodes(5, 1).Span.ToArray());

        Assert.False(RunPrior.Resolve(folder.Path, model, spec, Load, refit: true).Reused);
        File.SetLastWriteTimeUtc(RunFiles.ModelPath(folder.Path), DateTime.UtcNow.AddMinutes(5));
        Assert.False(RunPrior.Resolve(folder.Path, model, spec, Load).Reused);
        Assert.Equal(3, asked.Count);

        var standard = RunPrior.Resolve(folder.Path, model, CodePriorSpec.Standard, Load);
        Assert.Null(standard.Path);
        Assert.Equal(CodePriorKind.Standard, standard.Prior.Spec.Kind);
    }

    [Fact]
    public void AModelFileWithoutItsDataNameNeedsTheDataGiven()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        string path = folder.File("bare.safetensors");
        ModelFile.Save(model, path);
        var error = Assert.Throws<ArgumentException>(() => RunPrior.Resolve(path, model, CodePriorSpec.Gaussian, _ => throw new InvalidOperationException()));
        Assert.Contains("--data", error.Message, StringComparison.Ordinal);
        Assert.Equal(folder.File("bare.prior-gaussian.safetensors"), RunPrior.FilePath(path, CodePriorSpec.Gaussian));

        var data = new TensorSource(ModelTestData.Rows(ModelTestData.Digits, 0, 100));
        var fitted = RunPrior.Resolve(path, model, CodePriorSpec.Gaussian, _ => data, data: "given");
        Assert.Equal("given", fitted.DataName);
        Assert.True(File.Exists(folder.File("bare.prior-gaussian.safetensors")));
    }
}
