using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class ArchitectureTests
{
    [Theory]
    [InlineData("", new int[0])]
    [InlineData("none", new int[0])]
    [InlineData("  ", new int[0])]
    [InlineData("fc400", new[] { 400 })]
    [InlineData("fc512,fc256", new[] { 512, 256 })]
    [InlineData(" fc1 , fc2:tanh ,fc3:none", new[] { 1, 2, 3 })]
    public void ParsesFullyConnectedLayers(string description, int[] units)
    {
        var layers = Architecture.Parse(description, "encoder");
        Assert.Equal(units, layers.Select(l => l.Units));
        Assert.All(layers, l => Assert.Equal(LayerKind.FullyConnected, l.Kind));
        Assert.Equal(Enumerable.Range(1, units.Length), layers.Select(l => l.Index));
    }

    [Theory]
    [InlineData("fc10", null)]
    [InlineData("fc10:relu", Activation.Relu)]
    [InlineData("fc10:leaky-relu", Activation.LeakyRelu)]
    [InlineData("fc10:tanh", Activation.Tanh)]
    [InlineData("fc10:sigmoid", Activation.Sigmoid)]
    [InlineData("fc10:none", Activation.Identity)]
    public void ParsesTheActivationSuffix(string description, Activation? activation)
    {
        var layer = Assert.Single(Architecture.Parse(description));
        Assert.Equal(activation, layer.Activation);
        Assert.Equal(description, layer.Text);
    }

    [Theory]
    [InlineData("fc400,fc0", "encoder layer 2 'fc0': a layer needs at least 1 unit")]
    [InlineData("fcx", "encoder layer 1 'fcx': expected fc<units>[:activation], e.g. fc400 or fc400:tanh")]
    [InlineData("fc", "encoder layer 1 'fc': expected fc<units>")]
    [InlineData("fc-5", "encoder layer 1 'fc-5': expected fc<units>")]
    [InlineData("fc+5", "encoder layer 1 'fc+5': expected fc<units>")]
    [InlineData("fc 5", "encoder layer 1 'fc 5': expected fc<units>")]
    [InlineData("FC400", "encoder layer 1 'FC400': unknown layer; expected fc<units>[:activation], e.g. fc400 or fc400:tanh, or one of fc<units>, conv<channels>k<kernel>")]
    [InlineData("400", "encoder layer 1 '400': unknown layer; expected fc<units>")]
    [InlineData("fc10,,fc20", "encoder layer 2 '': empty layer")]
    [InlineData("fc10,", "encoder layer 2 '': empty layer")]
    [InlineData("fc10:swish", "encoder layer 1 'fc10:swish': unknown activation 'swish'; expected one of relu, leaky-relu, tanh, sigmoid, none")]
    [InlineData("fc10:", "encoder layer 1 'fc10:': unknown activation ''")]
    [InlineData("fc99999999999", "encoder layer 1 'fc99999999999': 99999999999 units is more than a layer can have (2147483647)")]
    public void RejectsMalformedLayersNamingThem(string description, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Architecture.Parse(description, "encoder"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ErrorsNameThePart()
    {
        var error = Assert.Throws<FormatException>(() => Architecture.Parse("fcx", "decoder"));
        Assert.StartsWith("decoder layer 1 'fcx': expected fc<units>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildsLinearThenActivationNamedAsPyTorch()
    {
        var built = Architecture.Build("fc6,fc5:tanh,fc4:none,fc3", LayerShape.FromFeatures(7), Activation.Relu, new Rng(1));
        var net = built.Module;
        Assert.Equal(3, built.Features);
        Assert.Null(built.Output.Image);
        Assert.Equal(7, net.Count);
        Assert.IsType<Linear>(net[0]);
        Assert.IsType<Relu>(net[1]);
        Assert.IsType<Linear>(net[2]);
        Assert.IsType<Tanh>(net[3]);
        Assert.IsType<Linear>(net[4]);
        Assert.IsType<Linear>(net[5]);
        Assert.IsType<Relu>(net[6]);
        Assert.Equal(
            ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "5.weight", "5.bias"],
            net.Parameters().Select(p => p.Name));
        Assert.Equal([6, 7], net.StateDict()["0.weight"].Shape.ToArray());
        Assert.Equal([5, 6], net.StateDict()["2.weight"].Shape.ToArray());
        Assert.Equal([4, 5], net.StateDict()["4.weight"].Shape.ToArray());
        Assert.Equal([3, 4], net.StateDict()["5.weight"].Shape.ToArray());
    }

    [Fact]
    public void AnIdentityDefaultAddsNoActivationModules()
    {
        var net = Architecture.Build("fc6,fc5:sigmoid", LayerShape.FromFeatures(7), Activation.Identity, new Rng(1)).Module;
        Assert.Equal(3, net.Count);
        Assert.IsType<Linear>(net[0]);
        Assert.IsType<Linear>(net[1]);
        Assert.IsType<Sigmoid>(net[2]);
    }

    [Fact]
    public void AnEmptyDescriptionIsTheIdentity()
    {
        var built = Architecture.Build("", LayerShape.FromImage(new ImageShape(3, 4, 5)), Activation.Relu, new Rng(1));
        Assert.Equal(0, built.Module.Count);
        Assert.Equal(60, built.Features);
        Assert.Equal(new ImageShape(3, 4, 5), built.Output.Image);
    }

    [Fact]
    public void DrawsTheSameWeightsAsLinearLayersBuiltByHand()
    {
        var built = Architecture.Build("fc6,fc5", LayerShape.FromFeatures(7), Activation.Relu, new Rng(42)).Module;
        var rng = new Rng(42);
        var byHand = new Sequential(new Linear(7, 6, rng), new Relu(), new Linear(6, 5, rng), new Relu());
        var expected = byHand.StateDict();
        var actual = built.StateDict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach ((string name, Tensor tensor) in expected)
        {
            Assert.Equal(tensor.ToArray(), actual[name].ToArray());
        }
    }

    [Fact]
    public void AFullyConnectedLayerReadsAnImageAsItsFeatures()
    {
        var built = Architecture.Build("fc10", LayerShape.FromImage(new ImageShape(1, 28, 28)), Activation.Relu, new Rng(1));
        Assert.Equal([10, 784], built.Module.StateDict()["0.weight"].Shape.ToArray());
        var x = Tensor.Zeros(2, 784);
        using var tape = new Latent.Autodiff.Tape { GradEnabled = false };
        Assert.Equal([2, 10], built.Module.Forward(tape.Input(x)).Value.Shape.ToArray());
    }

    [Fact]
    public void ALayerTooLargeForATensorIsNamedWithItsShapes()
    {
        var layers = Architecture.Parse("fc1000,fc3000000", "decoder");
        var error = Assert.Throws<FormatException>(() => Architecture.OutputShape(layers, LayerShape.FromImage(new ImageShape(1, 28, 28)), "decoder"));
        Assert.Equal(
            $"decoder layer 2 'fc3000000': a fully connected layer from 1000 features to 3000000 features needs 3000000000 weights, more than one tensor holds ({Array.MaxLength})",
            error.Message);
        var first = Assert.Throws<FormatException>(() => Architecture.Build("fc3000000", LayerShape.FromImage(new ImageShape(1, 28, 28)), Activation.Relu, new Rng(1), "encoder"));
        Assert.StartsWith("encoder layer 1 'fc3000000': a fully connected layer from 1×28×28 to 3000000 features needs 2352000000 weights", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapesAreTracked()
    {
        var image = LayerShape.FromImage(new ImageShape(1, 28, 28));
        Assert.Equal("1×28×28", image.ToString());
        Assert.Equal("20 features", LayerShape.FromFeatures(20).ToString());
        Assert.Equal(LayerShape.FromFeatures(20), Architecture.OutputShape(Architecture.Parse("fc400,fc20"), image));
        Assert.Equal(image, Architecture.OutputShape([], image));
    }

    [Fact]
    public void FullyConnectedWritesTheDescription()
    {
        Assert.Equal("fc512,fc256", Architecture.FullyConnected([512, 256]));
        Assert.Equal(string.Empty, Architecture.FullyConnected([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Architecture.FullyConnected([3, 0]));
    }
}
