using Latent.Cli;
using Latent.Models;

namespace Latent.Tests.Cli;

public class TrainArchitectureOptionsTests
{
    private static readonly AutoencoderOptions s_vae = Presets.Defaults("vae");

    [Theory]
    [InlineData(null, null, null, null, "fc400", "fc400")]
    [InlineData("512,256", null, null, null, "fc512,fc256", "fc256,fc512")]
    [InlineData("none", null, null, null, "", "")]
    [InlineData(null, "fc1200,fc1200", null, null, "fc1200,fc1200", "fc400")]
    [InlineData(null, "fc1200,fc1200", "fc1200:tanh,fc1200:tanh,fc1200:tanh", null, "fc1200,fc1200", "fc1200:tanh,fc1200:tanh,fc1200:tanh")]
    [InlineData(null, "fc1200,fc1200", null, "1200,1200,1200", "fc1200,fc1200", "fc1200,fc1200,fc1200")]
    [InlineData(null, null, null, "none", "fc400", "")]
    [InlineData(null, null, "none", null, "fc400", "none")]
    public void ArchitectureOptionsSetEachSide(string? hidden, string? encoder, string? decoder, string? decoderHidden, string expectedEncoder, string expectedDecoder)
    {
        var options = TrainCommand.ApplyArchitecture(s_vae, hidden, encoder, decoder, decoderHidden);
        Assert.Equal((expectedEncoder, expectedDecoder), (options.Encoder, options.Decoder));
        options.Validate();
    }

    [Theory]
    [InlineData("400", "fc400", null, null, "give either --hidden or --encoder, not both")]
    [InlineData("400", null, "fc400", null, "give either --hidden or --decoder, not both")]
    [InlineData("400", null, null, "400", "give either --hidden or --decoder-hidden, not both")]
    [InlineData(null, null, "fc400", "400", "--decoder and --decoder-hidden both set the decoder; give one.")]
    [InlineData(null, null, null, "400,0", "--decoder-hidden: '0' is not a positive layer size")]
    [InlineData("x", null, null, null, "--hidden: 'x' is not a positive layer size")]
    public void ConflictsAndBadWidthsAreOneLineErrors(string? hidden, string? encoder, string? decoder, string? decoderHidden, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainCommand.ApplyArchitecture(s_vae, hidden, encoder, decoder, decoderHidden));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadDescriptionIsNamedByLayer()
    {
        var options = TrainCommand.ApplyArchitecture(s_vae, null, "fc400,fc0", null, null);
        var error = Assert.Throws<FormatException>(() => options.Validate());
        Assert.Equal("encoder layer 2 'fc0': a layer needs at least 1 unit", error.Message);
    }
}
