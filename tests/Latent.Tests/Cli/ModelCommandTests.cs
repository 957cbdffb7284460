using System.CommandLine;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Tests.Models;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class ModelCommandTests
{
    [Fact]
    public void ReconstructDrawsOriginalsAboveTheirReconstructions()
    {
        using var folder = new TempFolder();
        var model = new Autoencoder(ModelTestData.Small("ae"));
        ModelTestData.Train(model, ModelTestData.Rows(ModelTestData.Digits, 0, 256), epochs: 2);
        string modelPath = folder.File("model.safetensors");
        ModelFile.Save(model, modelPath);
        string picture = folder.File("recon.png");

        var root = new RootCommand("test");
        root.Subcommands.Add(ReconstructCommand.Create());
        Assert.Equal(0, CommandRunner.Run(root, ["reconstruct", modelPath, "--data", "digits-8x8", "--out", picture, "--count", "5"]));

        // 5 columns × 2 rows of 8×8 tiles with 2 pixels of mid-grey padding around each.
        var grid = Png.Read(picture);
        Assert.Equal((2 + (5 * 10), 2 + (2 * 10), PngColor.Grey), (grid.Width, grid.Height, grid.Color));
        Assert.Equal(128, grid[0, 0, 0]);
        var originals = ModelTestData.Rows(ModelTestData.Digits, 0, 5);
        var reconstructions = model.Reconstruct(originals);
        for (int item = 0; item < 5; item++)
        {
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    int left = 2 + (item * 10) + x;
                    Assert.Equal(ToByte(originals[item, (y * 8) + x]), grid[left, 2 + y, 0]);
                    Assert.Equal(ToByte(reconstructions[item, (y * 8) + x]), grid[left, 12 + y, 0]);
                }
            }
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
}
