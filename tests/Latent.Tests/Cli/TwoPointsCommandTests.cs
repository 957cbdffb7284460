using System.CommandLine;
using System.Globalization;
using Latent.Cli;
using Latent.Training;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class TwoPointsCommandTests
{
    [Fact]
    public void TrainOnTwoPointsWithALimitThenEncodeWritesPosteriorMeansAndDeviations()
    {
        using var folder = new TempFolder();
        string run = folder.File("elbo");
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        Assert.Equal(0, CommandRunner.Run(root, ["train", "vae", "--data", "two-points", "--out", run, "--limit", "40", "--latent", "1", "--hidden", "16", "--likelihood", "gaussian",
            "--sigma", "0.1", "--epochs", "3", "--batch", "20", "--validation", "0", "--checkpoint-every", "0", "--quiet"]));
        var history = RunFiles.LoadHistory(run)!;
        Assert.Equal(3, history.Epochs.Count);
        var model = RunFiles.LoadModel(run);
        Assert.Equal((1, 1), (model.Inputs, model.Latent));

        string csv = folder.File("posteriors.csv");
        Assert.Equal(0, CommandRunner.Run(root, ["encode", run, "--data", "two-points:n=2", "--std", "--out", csv]));
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("z0,sd0,label", lines[0]);
        (var mean, var logVariance) = model.EncodePosterior(Latent.Data.Synthetic.TwoPoints(2));
        for (int i = 0; i < 2; i++)
        {
            double[] cells = [.. lines[i + 1].Split(',').Take(2).Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
            Assert.Equal(mean[i, 0], cells[0], 5);
            Assert.Equal(Math.Exp(0.5 * logVariance[i, 0]), cells[1], 5);
        }
    }
}
