using System.CommandLine;
using System.Text.Json.Nodes;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class DisentanglementCommandTests
{
    // An untrained shapes VAE with small layers: enough to check what the commands compute and write.
    private static string SaveModel(TempFolder folder)
    {
        var options = Presets.Defaults("beta-vae", new ImageShape(1, 64, 64)) with { Encoder = "fc16", Decoder = "fc16", Latent = 4, Seed = 5 };
        string path = folder.File("model.safetensors");
        ModelFile.Save(new Autoencoder(options), path);
        return path;
    }

    [Fact]
    public void EvalOnShapesReportsTheBetaVaeMetricAndTheMutualInformationGap()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder);
        Assert.Equal(0, CommandRunner.Run(Root(), ["eval", model, "--data", "shapes:n=64", "--iw-samples", "0", "--quality-samples", "0", "--beta-vae-points", "40", "--beta-vae-pairs", "4", "--mig-items", "400", "--quiet"]));
        var json = JsonNode.Parse(File.ReadAllText(folder.File("eval.json")))!;
        double metric = json["betaVaeMetric"]!.GetValue<double>();
        Assert.InRange(metric, 0.0, 1.0);
        Assert.InRange(json["mig"]!.GetValue<double>(), 0.0, 1.0);
        var perFactor = json["migPerFactor"]!.AsObject();
        Assert.Equal(["shape", "scale", "rotation", "x", "y"], perFactor.Select(p => p.Key).ToArray());

        // The same numbers as the library's, with the command's seed (0) and sizes.
        var loaded = ModelFile.Load(model);
        var expected = Latent.Evaluation.BetaVaeMetric.Measure(loaded, new ShapesSource(), new Latent.Evaluation.BetaVaeMetricOptions { BatchSize = 4, TrainPoints = 40, TestPoints = 20 });
        Assert.Equal(expected.Accuracy, metric, 12);

        // Bad sizes are one-line errors.
        Assert.Equal(2, CommandRunner.Run(Root(), ["eval", model, "--data", "shapes:n=64", "--mig-items", "1", "--quiet"]));
    }

    [Fact]
    public void TraverseFromAnItemKeepsTheOtherLatentsAtItsInferredCode()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder);
        Assert.Equal(0, CommandRunner.Run(Root(), ["traverse", model, "--out", folder.File("t.png"), "--data", "shapes:n=50", "--from", "3", "--steps", "3", "--order", "index"]));
        var grid = Png.Read(folder.File("t.png"));
        Assert.Equal((2 + (3 * 66), 2 + (4 * 66)), (grid.Width, grid.Height));

        var loaded = ModelFile.Load(model);
        var data = UnitScaling.Apply(new DatasetCatalog().Load("shapes:n=50"));
        var origin = loaded.Encode(data.Subset([3])).Span.ToArray();
        var expected = Generation.Traverse(loaded, [0, 1, 2, 3], origin, 3, 3f);
        var aroundZero = Generation.Traverse(loaded, [0, 1, 2, 3], 3, 3f);
        var tile = expected.Row(7); // row 2 (latent 2), column 1 (the middle step: z₂ = 0, the rest at the item's code)
        int mismatches = 0;
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                byte pixel = (byte)Math.Clamp(MathF.Round(tile[(y * 64) + x] * 255f), 0f, 255f);
                mismatches += grid[2 + 66 + x, 2 + (2 * 66) + y, 0] == pixel ? 0 : 1;
            }
        }

        Assert.Equal(0, mismatches);
        Assert.NotEqual(expected.Span.ToArray(), aroundZero.Span.ToArray());

        Assert.Equal(2, CommandRunner.Run(Root(), ["traverse", model, "--out", folder.File("u.png"), "--from", "3"]));
        Assert.Equal(2, CommandRunner.Run(Root(), ["traverse", model, "--out", folder.File("u.png"), "--data", "shapes:n=50", "--from", "50"]));
        Assert.Equal(2, CommandRunner.Run(Root(), ["traverse", model, "--out", folder.File("u.png"), "--order", "kl"]));
        Assert.Equal(2, CommandRunner.Run(Root(), ["traverse", model, "--out", folder.File("u.png"), "--data", "shapes:n=50", "--order", "size"]));
    }

    [Fact]
    public void FactorResponseWritesTheMeanCodePerCombinationOfTheChosenFactors()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder);
        Assert.Equal(0, CommandRunner.Run(Root(), ["factor-response", model, "--data", "shapes", "--by", "shape,scale", "--samples", "2", "--out", folder.File("r.csv")]));
        var table = Csv.Read(folder.File("r.csv"));
        Assert.Equal((18, 2 + 4), (table.Count, table.Dimension));
        var expected = Latent.Evaluation.FactorResponse.Measure(ModelFile.Load(model), new ShapesSource(), [0, 1], 2);
        Assert.Equal(2f, table.Features[13, 0]);
        Assert.Equal(1f, table.Features[13, 1]);
        Assert.Equal((float)expected.Means[13, 3], table.Features[13, 5], 5);
        Assert.Equal(2, CommandRunner.Run(Root(), ["factor-response", model, "--data", "shapes", "--by", "colour", "--out", folder.File("r.csv")]));
        Assert.Equal(2, CommandRunner.Run(Root(), ["factor-response", model, "--data", "digits-8x8", "--by", "x", "--out", folder.File("r.csv")]));
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TraverseCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(FactorResponseCommand.Create());
        return root;
    }
}
