using System.CommandLine;
using Latent.Classical;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Cli;

/// <summary>Every entry point refuses a NaN in data or weights the same way, naming where it is (issue 12, class 1).</summary>
[Collection("Console")]
public class NonFiniteInputTests
{
    [Fact]
    public void TrainEncodeAndFitRefuseNaNDataNamingRowAndColumn()
    {
        using var folder = new TempFolder();
        var values = Tensor.Zeros(20, 8);
        for (int i = 0; i < values.Length; i++)
        {
            values.Span[i] = i % 5;
        }

        values[13, 6] = float.NaN;
        string data = folder.File("nan.npy");
        Npy.Write(data, values);
        var model = new Autoencoder(Presets.Defaults("ae", 8) with { Latent = 2, Hidden = [4] });
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);

        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        foreach (string[] args in new[]
        {
            new[] { "train", "ae", "--data", data, "--epochs", "1", "--out", folder.File("run"), "--quiet" },
            ["encode", modelPath, "--data", data, "--out", folder.File("codes.npy")],
            ["fit", "pca", "--data", data, "--components", "2", "--out", folder.File("pca")],
        })
        {
            (int code, _, string error) = CliRun.Run(root, args);
            Assert.Equal(CommandRunner.ErrorExitCode, code);
            Assert.Contains("holds NaN at row 13, column 6", error);
        }

        Assert.False(Directory.Exists(folder.File("run")));
        Assert.False(File.Exists(folder.File("codes.npy")));
    }

    [Fact]
    public void ModelFilesWithNonFiniteWeightsAreRefusedNamingTheTensor()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(Presets.Defaults("ae", 8) with { Latent = 2, Hidden = [4] });
        string path = folder.File("model.safetensors");
        ModelFile.Save(model, path);
        var file = SafeTensors.Read(path);
        var tensors = file.Tensors.ToDictionary(p => p.Key, p => p.Value);
        tensors["encoder.0.weight"].Span[3] = float.PositiveInfinity;
        SafeTensors.Write(path, tensors, file.Metadata);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(path));
        Assert.Contains("tensor 'encoder.0.weight' holds Infinity at element 3", error.Message);

        var pca = Pca.Fit(ModelTestData.Rows(ModelTestData.Digits, 0, 100), new PcaOptions { Components = 2 });
        string pcaPath = folder.File("pca.safetensors");
        pca.Save(pcaPath);
        file = SafeTensors.Read(pcaPath);
        tensors = file.Tensors.ToDictionary(p => p.Key, p => p.Value);
        tensors.First().Value.Span[0] = float.NaN;
        SafeTensors.Write(pcaPath, tensors, file.Metadata);
        Assert.Contains("holds NaN at element 0", Assert.Throws<DataFormatException>(() => ClassicalModelFile.Load(pcaPath)).Message);
    }
}
