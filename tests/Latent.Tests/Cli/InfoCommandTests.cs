using Latent.Cli;

namespace Latent.Tests.Cli;

public class InfoCommandTests
{
    [Fact]
    public void DescribesVersionSimdAndCores()
    {
        var facts = InfoCommand.Describe().ToDictionary(f => f.Name, f => f.Value);
        Assert.Matches(@"^\d+\.\d+\.\d+", facts["version"]);
        Assert.Matches(@"^(512|256|128|32)-bit", facts["simd"]);
        Assert.StartsWith(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), facts["cores"]);
    }
}
