using System.CommandLine;
using Latent.Classical;
using Latent.Cli;
using Latent.Data;
using Latent.Models;
using Latent.Optim;

namespace Latent.Tests.Cli;

[Collection("Console")]
public class PcaAngleCommandTests
{
    [Fact]
    public void TrainRecordsThePcaAngleColumnAndRefusesANonlinearDecoder()
    {
        using var folder = new TempFolder();
        string run = folder.File("linear");
        Assert.Equal(0, CommandRunner.Run(Root(), ["train", "linear-ae", "--data", "digits-8x8", "--out", run, "--latent", "3", "--epochs", "3", "--pca-angle", "--quiet"]));
        string[] lines = File.ReadAllLines(Path.Combine(run, "history.csv"));
        Assert.EndsWith(",pca_angle", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture), 0, 90));

        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, CommandRunner.Run(Root(), ["train", "ae", "--data", "digits-8x8", "--out", folder.File("ae"), "--epochs", "1", "--pca-angle", "--quiet"]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("not linear", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LinearAeRecommendsAdamWithACosineDecayThatAnExplicitScheduleOverrides()
    {
        var recommendation = Presets.RecommendedTrainer("linear-ae", null)!;
        Assert.Equal((OptimizerKind.Adam, 1e-2f, ScheduleKind.Cosine), (recommendation.Optimizer, recommendation.LearningRate, recommendation.Schedule));
        Assert.Equal(ScheduleKind.Cosine, TrainCommand.ChooseSchedule(recommendation, null));
        Assert.Equal(ScheduleKind.Step, TrainCommand.ChooseSchedule(recommendation, ScheduleKind.Step));
        Assert.Equal(ScheduleKind.Constant, TrainCommand.ChooseSchedule(null, null));
    }

    [Fact]
    public void FitPpcaEmWritesTheAnglePerIteration()
    {
        using var folder = new TempFolder();
        var digits = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16);
        var lines = FitCommand.Run(digits, new FitCommand.Settings("ppca", 3, "em", CovarianceType.Full, 1, false, 1, PcaAngle: true), folder.Path);
        Assert.Contains(lines, l => l.Contains("largest principal angle to PCA-3", StringComparison.Ordinal));
        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, "pca-angle.csv"));
        Assert.Equal("iteration,pca_angle_degrees", csv[0]);
        Assert.True(double.Parse(csv[^1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture) < 1e-3);
        Assert.Throws<ArgumentException>(() => FitCommand.Run(digits, new FitCommand.Settings("ppca", 3, "closed", CovarianceType.Full, 1, false, 1, PcaAngle: true), folder.Path));
        Assert.Throws<ArgumentException>(() => FitCommand.Run(digits, new FitCommand.Settings("pca", 3, "auto", CovarianceType.Full, 1, false, 1, PcaAngle: true), folder.Path));
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }
}
