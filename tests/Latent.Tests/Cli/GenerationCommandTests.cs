using System.CommandLine;
using System.Text.Json.Nodes;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class GenerationCommandTests
{
    private static readonly Lazy<Autoencoder> s_model = new(() =>
    {
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Latent = 2 }));
        return ModelTestData.Train(model, ModelTestData.Rows(ModelTestData.Digits, 0, 512), epochs: 1);
    });

    [Fact]
    public void SampleManifoldTraverseAndInterpolateWritePngGridsOfTheDecodedImages()
    {
        using var folder = new TempFolder();
        var model = s_model.Value;
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);
        var root = Root();

        Assert.Equal(0, CommandRunner.Run(root, ["sample", modelPath, "--out", folder.File("s.png"), "--count", "6", "--seed", "4"]));
        var samples = Png.Read(folder.File("s.png"));
        Assert.Equal((2 + (3 * 10), 2 + (2 * 10)), (samples.Width, samples.Height));
        var expected = model.Sample(6, new Rng(4));
        AssertTile(samples, 0, 0, expected.Row(0));
        AssertTile(samples, 2, 1, expected.Row(5));

        Assert.Equal(0, CommandRunner.Run(root, ["manifold", modelPath, "--out", folder.File("m.png"), "--size", "4"]));
        var manifold = Png.Read(folder.File("m.png"));
        Assert.Equal((42, 42), (manifold.Width, manifold.Height));
        var decoded = model.Decode(Generation.ManifoldCodes(4));
        AssertTile(manifold, 3, 2, decoded.Row(11));

        Assert.Equal(0, CommandRunner.Run(root, ["traverse", modelPath, "--out", folder.File("t.png"), "--steps", "5", "--data", "digits-8x8"]));
        var traversal = Png.Read(folder.File("t.png"));
        Assert.Equal((52, 22), (traversal.Width, traversal.Height));

        Assert.Equal(0, CommandRunner.Run(root, ["interpolate", modelPath, "--data", "digits-8x8", "--out", folder.File("i.png"), "--steps", "4", "--from", "3", "--to", "7"]));
        var strip = Png.Read(folder.File("i.png"));
        Assert.Equal((42, 22), (strip.Width, strip.Height));
        var digits = ModelTestData.Digits;
        var linear = Generation.Interpolate(model, digits.Row(3), digits.Row(7), 4, spherical: false);
        var spherical = Generation.Interpolate(model, digits.Row(3), digits.Row(7), 4, spherical: true);
        AssertTile(strip, 3, 0, linear.Row(3));
        AssertTile(strip, 1, 1, spherical.Row(1));
    }

    [Fact]
    public void InterpolateBetweenSamplesDecodesThePathBetweenTwoPriorDraws()
    {
        using var folder = new TempFolder();
        var model = s_model.Value;
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);
        var root = Root();
        Assert.Equal(0, CommandRunner.Run(root, ["interpolate", modelPath, "--between-samples", "--seed", "3", "--steps", "4", "--mode", "both", "--out", folder.File("g.png")]));
        var strip = Png.Read(folder.File("g.png"));
        Assert.Equal((42, 22), (strip.Width, strip.Height));
        var linear = Generation.InterpolatePrior(model, new Rng(3), 4, spherical: false);
        var spherical = Generation.InterpolatePrior(model, new Rng(3), 4, spherical: true);
        AssertTile(strip, 0, 0, linear.Row(0));
        AssertTile(strip, 2, 0, linear.Row(2));
        AssertTile(strip, 2, 1, spherical.Row(2));
        AssertTile(strip, 3, 1, linear.Row(3));

        foreach (string[] bad in new[]
        {
            new[] { "--between-samples", "--from", "2" },
            new[] { "--between-samples", "--data", "digits-8x8" },
            new[] { "--data", "digits-8x8", "--seed", "3" },
            new[] { "--steps", "4" },
        })
        {
            var error = new StringWriter();
            var previous = Console.Error;
            Console.SetError(error);
            try
            {
                Assert.Equal(2, CommandRunner.Run(root, ["interpolate", modelPath, "--out", folder.File("bad.png"), .. bad]));
            }
            finally
            {
                Console.SetError(previous);
            }

            Assert.Contains(bad[0] == "--between-samples" ? bad[1] : bad[0] == "--steps" ? "--data is needed" : "--seed", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EvalPrintsATableAndWritesJson()
    {
        using var folder = new TempFolder();
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(s_model.Value, modelPath);
        Assert.Equal(0, CommandRunner.Run(Root(), ["eval", modelPath, "--data", "digits-8x8", "--iw-samples", "20", "--iw-items", "50", "--quality-samples", "300", "--quality-cache", folder.File("cache"), "--quiet"]));
        var json = JsonNode.Parse(File.ReadAllText(folder.File("eval.json")))!;
        Assert.Equal(1797, json["items"]!.GetValue<int>());
        Assert.Equal(20, json["importanceSamples"]!.GetValue<int>());
        double elbo = json["elbo"]!.GetValue<double>();
        double logLikelihood = json["logLikelihood"]!.GetValue<double>();
        Assert.True(double.IsFinite(elbo) && double.IsFinite(logLikelihood));
        Assert.Equal(2, json["klPerDimension"]!.AsArray().Count);
        double probe = json["probeAccuracy"]!.GetValue<double>();
        Assert.InRange(probe, 0.2, 1.0);
        Assert.InRange(json["nmi"]!.GetValue<double>(), 0.0, 1.0);
        var quality = json["sampleQuality"]!;
        Assert.Equal(300, quality["samples"]!.GetValue<int>());
        Assert.True(quality["frechetDistance"]!.GetValue<double>() > 0);
        Assert.InRange(quality["classesFound"]!.GetValue<int>(), 1, 10);
        Assert.Single(Directory.GetFiles(folder.File("cache"), "digits-8x8-1797-*.safetensors"));
        Assert.Equal(2, CommandRunner.Run(Root(), ["eval", modelPath, "--data", "digits-8x8", "--quality-samples", "2", "--quiet"]));
    }

    [Fact]
    public void ManifoldOfAWideLatentIsAClearError()
    {
        using var folder = new TempFolder();
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(new Autoencoder(ModelTestData.Small("vae")), modelPath);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, CommandRunner.Run(Root(), ["manifold", modelPath, "--out", folder.File("m.png")]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("2-D latent", error.ToString(), StringComparison.Ordinal);
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(ManifoldCommand.Create());
        root.Subcommands.Add(TraverseCommand.Create());
        root.Subcommands.Add(InterpolateCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        return root;
    }

    internal static void AssertTile(PngImage grid, int column, int row, ReadOnlySpan<float> image)
    {
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                byte expected = (byte)Math.Clamp(MathF.Round(image[(y * 8) + x] * 255f), 0f, 255f);
                Assert.Equal(expected, grid[2 + (column * 10) + x, 2 + (row * 10) + y, 0]);
            }
        }
    }
}
