using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Training;

/// <summary>A history records the loss terms its model has: all five for an autoencoder, "loss" alone for a GAN.</summary>
public sealed class TrainingHistoryTermsTests
{
    [Fact]
    public void AHistoryOfSomeTermsWritesThoseAndReadsTheRestAsZero()
    {
        var history = new TrainingHistory(["loss", "kl"]);
        history.Add(new EpochRecord(1, new LossTerms(3, 2, 1, 0.5, 0.25), new LossTerms(4, 3, 1.5, 0, 0), 0.001, 1.5));
        string[] lines = history.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["epoch,loss,kl,val_loss,val_kl,learning_rate,seconds", "1,3,1,4,1.5,0.001,1.5"], lines);

        var back = TrainingHistory.FromJson(history.ToJson());
        Assert.Equal(["loss", "kl"], back.TermNames);
        Assert.Equal(new LossTerms(3, 0, 1, 0, 0), back.Epochs[0].Train);
        Assert.Equal(new LossTerms(4, 0, 1.5, 0, 0), back.Epochs[0].Validation);
        Assert.Equal(history.ToCsv(), back.ToCsv());
    }

    [Fact]
    public void AnEmptyHistoryReadsBackWithEveryTerm() =>
        Assert.Equal(LossTerms.Names, TrainingHistory.FromJson("[]").TermNames);

    [Theory]
    [InlineData("")]
    [InlineData("kl")]
    [InlineData("loss,kl,reconstruction")]
    [InlineData("loss,loss")]
    [InlineData("loss,elbo")]
    public void TermsThatAreNotLossFirstThenOthersInOrderAreRefused(string names)
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingHistory(names.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("loss", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWhoseEpochsLackATermOfTheFirstIsRefused()
    {
        const string json = """
            [{"epoch": 1, "train": {"loss": 1, "kl": 2}, "validation": null, "learningRate": 0.1, "seconds": 1},
             {"epoch": 2, "train": {"loss": 1}, "validation": null, "learningRate": 0.1, "seconds": 1}]
            """;
        var error = Assert.Throws<FormatException>(() => TrainingHistory.FromJson(json));
        Assert.Contains("missing term 'kl'", error.Message, StringComparison.Ordinal);
    }
}
