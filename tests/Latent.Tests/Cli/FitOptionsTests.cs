using System.CommandLine;
using Latent.Cli;

namespace Latent.Tests.Cli;

/// <summary><c>latent fit</c> refuses an option the chosen method does not read, before reading data or writing anything.</summary>
[Collection("Console")]
public class FitOptionsTests
{
    [Theory]
    [InlineData("pca", "--covariance", "Diagonal", "--covariance: fit pca does not use it (it applies to gmm).")]
    [InlineData("kmeans", "--whiten", null, "--whiten: fit kmeans does not use it (it applies to pca).")]
    [InlineData("fa", "--solver", "em", "--solver: fit fa does not use it (it applies to pca, ppca).")]
    [InlineData("pca", "--restarts", "3", "--restarts: fit pca does not use it (it applies to kmeans, gmm).")]
    [InlineData("gmm", "--noise-floor", "0.1", "--noise-floor: fit gmm does not use it (it applies to fa).")]
    [InlineData("pca", "--max-iterations", "5", "--max-iterations: fit pca does not use it (it applies to kmeans, gmm, fa, ppca).")]
    public void AnOptionTheMethodDoesNotReadIsAOneLineError(string method, string option, string? value, string expected)
    {
        using var folder = new TempFolder();
        string output = folder.File("fit");
        string[] args = ["fit", method, "--data", "digits-8x8", "--out", output, option, .. value is null ? Array.Empty<string>() : [value]];
        CliRun.Fails(Root(), expected, args);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void TheMethodsOwnOptionsAreAccepted()
    {
        using var folder = new TempFolder();
        (int code, _, string error) = CliRun.Run(Root(), "fit", "gmm", "--data", "digits-8x8", "--out", folder.File("gmm"), "--covariance", "Diagonal", "--restarts", "2", "-k", "3", "--max-iterations", "20");
        Assert.True(code == 0, error);
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(FitCommand.Create());
        return root;
    }
}
