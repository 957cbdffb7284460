using System.CommandLine;
using System.Xml.Linq;
using Latent.Cli;

namespace Latent.Tests.Cli;

[Collection("Console")]
public sealed class DivergenceCommandTests
{
    [Fact]
    public void PrintsEachFitAndDrawsThem()
    {
        using var folder = new TempFolder();
        var lines = DivergenceCommand.Run("mixture:0.5,-2,0.6;0.5,2,0.6", "-50,1", folder.File("fig"));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("-50", StringComparison.Ordinal) && l.Contains("0.600", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal) && l.Contains("2.088", StringComparison.Ordinal));
        Assert.True(new FileInfo(folder.File("fig/divergence.png")).Length > 1000);
        XDocument.Parse(File.ReadAllText(folder.File("fig/divergence.svg")));
    }

    [Theory]
    [InlineData("--alpha", "1,x", "--alpha: 'x' is not a finite number")]
    [InlineData("--alpha", "1,1", "lists a value twice")]
    [InlineData("--p", "mixture:0.5,-2", "each mixture component is WEIGHT,MEAN,SIGMA")]
    [InlineData("--p", "cauchy:0,1", "'cauchy:0,1' is not a density")]
    public void BadInputIsOneLineNamingIt(string option, string value, string expected)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(DivergenceCommand.Create());
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = CommandRunner.Run(root, ["divergence", option, value]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }
}
