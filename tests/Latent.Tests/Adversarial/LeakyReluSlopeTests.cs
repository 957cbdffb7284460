using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Adversarial;

/// <summary>The architecture language's <c>:leaky-relu0.2</c>: a leaky ReLU naming its negative slope (DCGAN's 0.2).</summary>
public sealed class LeakyReluSlopeTests
{
    [Theory]
    [InlineData("conv64k4s2p1:leaky-relu0.2,conv128k4s2p1:none,bn:leaky-relu0.2,flatten")]
    [InlineData("fc8:leaky-relu0.05,fc4:leaky-relu,fc2:leaky-relu0")]
    public void TheSlopeIsParsedAndDescribedBack(string description)
    {
        var layers = Architecture.Parse(description);
        Assert.Equal(description, string.Join(",", layers.Select(Architecture.Describe)));
    }

    [Fact]
    public void TheDefaultSlopeIsPyTorchsAndIsNotWrittenOut()
    {
        var layer = Assert.Single(Architecture.Parse("fc4:leaky-relu"));
        Assert.Equal(0.01f, layer.LeakySlope);
        Assert.Equal("fc4:leaky-relu", Architecture.Describe(layer));
        Assert.Equal(0.2f, Assert.Single(Architecture.Parse("fc4:leaky-relu0.2")).LeakySlope);
    }

    [Theory]
    [InlineData("fc3:leaky-relu0.2", 0.2f)]
    [InlineData("bn:leaky-relu0.3", 0.3f)]
    [InlineData("fc3:leaky-relu", 0.01f)]
    public void TheBuiltModuleAppliesTheSlope(string description, float slope)
    {
        var built = Architecture.Build(description, LayerShape.FromFeatures(3), Activation.Relu, new Rng(1));
        var activation = Assert.Single(built.Module.Children().Select(c => c.Module).OfType<ActivationModule>());
        Assert.Equal(slope, activation.LeakySlope);
        Assert.Contains($"slope={slope}", built.Module.ToString(), StringComparison.Ordinal);

        // The values: an identity layer (or a batch norm of a batch whose statistics are those of x) then the activation.
        if (built.Module[0] is Linear linear)
        {
            linear.Weight.Value.CopyFrom(Tensor.FromArray([1f, 0, 0, 0, 1f, 0, 0, 0, 1f], 3, 3));
            linear.Bias!.Value.Fill(0f);
            using var tape = new Tape();
            var y = built.Module.Forward(tape.Input(Tensor.FromArray([-1f, 2f, -3f], 1, 3))).Value.ToArray();
            Assert.Equal([-slope, 2f, -3f * slope], y);
        }
    }

    [Theory]
    [InlineData("fc4:leaky-relu1", "leaky-relu's slope '1' is not a number in [0, 1)")]
    [InlineData("fc4:leaky-relu1.5", "leaky-relu's slope '1.5' is not a number in [0, 1)")]
    [InlineData("fc4:leaky-relu-0.2", "leaky-relu's slope '-0.2' is not a number in [0, 1)")]
    [InlineData("fc4:leaky-reluabc", "leaky-relu's slope 'abc' is not a number in [0, 1)")]
    [InlineData("fc4:leaky-relu0.2e5", "leaky-relu's slope '0.2e5' is not a number in [0, 1)")]
    [InlineData("fc4:relu0.2", "unknown activation 'relu0.2'")]
    public void BadSlopesAreRefusedNamingThem(string description, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Architecture.Parse(description, "discriminator"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("discriminator", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
