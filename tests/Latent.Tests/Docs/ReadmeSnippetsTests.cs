using Latent.Models;
using Latent.Tests.Training;

namespace Latent.Tests.Docs;

/// <summary>
/// The README's "Use it from C#" section: its csharp blocks are the regions of ReadmeSnippets.cs, and that code
/// runs on digits-8x8 and does what the README says.
/// </summary>
/// <remarks>
/// The snippets write to the current directory and the console, which this test redirects: it runs in the
/// serial collection, after and apart from all other tests.
/// </remarks>
[Collection(AllocationMeasurementCollection.Name)]
public sealed class ReadmeSnippetsTests
{
    private const string UpdateVariable = "LATENT_UPDATE_README";

    private static readonly string s_howToUpdate =
        $"After editing tests/Latent.Tests/Docs/ReadmeSnippets.cs, copy its regions into README.md with: " +
        $"{UpdateVariable}=1 dotnet test -c Release --filter \"FullyQualifiedName~ReadmeSnippets\"";

    [Fact]
    public void TheReadmeBlocksAreTheSnippetFileRegions()
    {
        string root = RepositoryPaths.Root();
        string readmePath = Path.Combine(root, "README.md");
        var regions = SnippetText.Regions(File.ReadAllText(Path.Combine(root, "tests", "Latent.Tests", "Docs", "ReadmeSnippets.cs")));
        Assert.Contains(regions, r => r.Name == "train");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(readmePath, SnippetText.Update(File.ReadAllText(readmePath), regions));
        }

        var problems = SnippetText.Differences(regions, SnippetText.Blocks(File.ReadAllText(readmePath)));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, [.. problems, s_howToUpdate]));
    }

    [Fact]
    public void AnEditOnEitherSideIsFoundAndTheUpdateUndoesIt()
    {
        const string Code = "class C\n{\n    void M()\n    {\n        // <snippet a>\n        int x = 1;\n\n        x++;\n        // </snippet>\n    }\n}\n// <snippet b>\nclass D { }\n// </snippet>\n";
        const string Readme = "# R\n\n<!-- snippet: a -->\n```csharp\nint x = 1;\n\nx++;\n```\n\ntext\n\n<!-- snippet: b -->\n\n```csharp\nclass D { }\n```\n";
        var regions = SnippetText.Regions(Code);
        Assert.Equal([("a", "int x = 1;\n\nx++;\n"), ("b", "class D { }\n")], regions);
        Assert.Empty(SnippetText.Differences(regions, SnippetText.Blocks(Readme)));

        string edited = Readme.Replace("x++;", "x += 2;", StringComparison.Ordinal);
        string problem = Assert.Single(SnippetText.Differences(regions, SnippetText.Blocks(edited)));
        Assert.Contains("README block 'a' differs from its region at its line 3", problem);
        Assert.Equal(Readme, SnippetText.Update(edited, regions));

        string missing = Readme.Replace("<!-- snippet: b -->", "<!-- b -->", StringComparison.Ordinal);
        Assert.Contains("region 'b' has no README block", Assert.Single(SnippetText.Differences(regions, SnippetText.Blocks(missing))));
        var extra = SnippetText.Blocks(Readme + "\n<!-- snippet: c -->\n```csharp\n```\n");
        Assert.Equal("README block 'c' has no region", Assert.Single(SnippetText.Differences(regions, extra)));
    }

    [Fact]
    public void TheSnippetsRunOnDigitsAndDoWhatTheReadmeSays()
    {
        using var folder = new TempFolder();
        string directory = Environment.CurrentDirectory;
        var console = Console.Out;
        var output = new StringWriter();
        ReadmeSnippetResults results;
        try
        {
            Environment.CurrentDirectory = folder.Path;
            Console.SetOut(output);
            results = ReadmeSnippets.Run();
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = directory;
        }

        string printed = output.ToString();
        Assert.Equal([1797, 64], results.Digits.Features.Shape);
        Assert.InRange(results.Digits.Features.Span.ToArray().Max(), 0.99f, 1f);

        Assert.Equal([1797, 10], results.PcaCodes.Shape);
        Assert.InRange(results.Pca.ExplainedVarianceRatio.Sum(), 0.5, 1.0);
        Assert.Contains("10 components explain ", printed);
        // The file keeps float32 parameters (the fit's are double): the reloaded codes agree to float precision.
        float[] reloaded = results.PcaReloaded.Transform(results.Digits.Features).ToArray();
        Assert.All(results.PcaCodes.ToArray().Zip(reloaded), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));

        Assert.Equal(1797, results.Clusters.Length);
        Assert.Equal(10, results.Clusters.Distinct().Count());
        Assert.Equal(results.KMeans.Labels, results.Clusters);
        Assert.Contains($"inertia {results.KMeans.Inertia:F1} after ", printed);

        // The observer printed every epoch, and the VAE learned: validation loss fell.
        var epochs = results.Training.History.Epochs;
        Assert.Equal(10, epochs.Count);
        Assert.Equal(10, printed.Split('\n').Count(line => line.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains("epoch 10: train ", printed);
        Assert.True(epochs[^1].Validation!.Value.Total < epochs[0].Validation!.Value.Total - 1, $"{epochs[0].Validation} → {epochs[^1].Validation}");
        Assert.Contains($"best epoch {results.Training.BestEpoch} of 10", printed);

        Assert.Equal([1797, 2], results.Codes.Shape);
        Assert.Equal([16, 64], results.Samples.Shape);
        Assert.All(results.Samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal([1797, 64], results.Reconstructions.Shape);

        // The model files were written where the README says (the current directory) and load back bitwise.
        Assert.True(File.Exists(folder.File("digits-vae.safetensors")));
        Assert.True(File.Exists(folder.File("digits-pca.safetensors")));
        Assert.True(new FileInfo(folder.File("digits-vae-encoder.onnx")).Length > 0);
        Assert.True(new FileInfo(folder.File("digits-kmeans.onnx")).Length > 0);
        Assert.Equal(results.Codes.ToArray(), results.LoadedCodes.ToArray());
        Assert.Equal("vae", results.Loaded.Options.Preset);

        Assert.Equal(3, results.Gan.History.Epochs.Count);
        Assert.All(results.Gan.History.Epochs, e => Assert.NotNull(e.Metric("discriminator_loss")));
        Assert.Equal([16, 64], results.Generated.Shape);
        Assert.All(results.Generated.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(results.Generated.ToArray(), AdversarialModelFile.Load(folder.File("digits-dcgan.safetensors")).Sample(16, seed: 7).ToArray());
    }
}
