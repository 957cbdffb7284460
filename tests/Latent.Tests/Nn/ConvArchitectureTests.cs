using Latent.Autodiff;
using Latent.Models;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class ConvArchitectureTests
{
    private static readonly LayerShape s_mnist = LayerShape.FromImage(new ImageShape(1, 28, 28));

    [Theory]
    [InlineData("conv32k4s2p1", LayerKind.Convolution, 32, 4, 2, 1, 0)]
    [InlineData("conv8k3", LayerKind.Convolution, 8, 3, 1, 0, 0)]
    [InlineData("conv8k3p1", LayerKind.Convolution, 8, 3, 1, 1, 0)]
    [InlineData("conv8k5s3", LayerKind.Convolution, 8, 5, 3, 0, 0)]
    [InlineData("deconv64k4s2p1", LayerKind.TransposedConvolution, 64, 4, 2, 1, 0)]
    [InlineData("deconv32k3s2p1o1", LayerKind.TransposedConvolution, 32, 3, 2, 1, 1)]
    [InlineData("deconv1k4s2", LayerKind.TransposedConvolution, 1, 4, 2, 0, 0)]
    [InlineData("pool2", LayerKind.MaxPool, 0, 2, 2, 0, 0)]
    [InlineData("pool3s2", LayerKind.MaxPool, 0, 3, 2, 0, 0)]
    [InlineData("up2", LayerKind.Upsample, 0, 2, 2, 0, 0)]
    [InlineData("bn", LayerKind.BatchNorm, 0, 0, 0, 0, 0)]
    [InlineData("flatten", LayerKind.Flatten, 0, 0, 0, 0, 0)]
    public void ParsesTheConvolutionalForms(string text, LayerKind kind, int units, int kernel, int stride, int padding, int outputPadding)
    {
        var layer = Assert.Single(Architecture.Parse(text));
        Assert.Equal(kind, layer.Kind);
        Assert.Equal(units, layer.Units);
        Assert.Equal(kernel, layer.Kernel);
        Assert.Equal(stride, layer.Stride);
        Assert.Equal(padding, layer.Padding);
        Assert.Equal(outputPadding, layer.OutputPadding);
        Assert.Null(layer.Activation);
        Assert.Equal(text, layer.Text);
    }

    [Fact]
    public void ParsesUnflattenAndActivations()
    {
        var layers = Architecture.Parse("unflatten64x7x7,deconv32k4s2p1:tanh,conv1k3s1p1:none,bn:relu");
        Assert.Equal(new ImageShape(64, 7, 7), layers[0].Shape);
        Assert.Equal(Activation.Tanh, layers[1].Activation);
        Assert.Equal(Activation.Identity, layers[2].Activation);
        Assert.Equal(Activation.Relu, layers[3].Activation);
        Assert.Equal(
            ["unflatten64x7x7", "deconv32k4s2p1:tanh", "conv1k3s1p1:none", "bn:relu"],
            layers.Select(Architecture.Describe));
        Assert.Equal("conv8k3s1p0", Architecture.Describe(Architecture.Parse("conv8k3")[0]));
        Assert.Equal("pool3s2", Architecture.Describe(Architecture.Parse("pool3s2")[0]));
    }

    [Theory]
    [InlineData("conv32", "encoder layer 1 'conv32': the kernel size k<kernel> is missing; expected conv<channels>k<kernel>[s<stride>][p<padding>][:activation], e.g. conv32k4s2p1")]
    [InlineData("conv", "encoder layer 1 'conv': expected conv<channels>k<kernel>[s<stride>][p<padding>][:activation], e.g. conv32k4s2p1")]
    [InlineData("convk4", "encoder layer 1 'convk4': expected conv<channels>k<kernel>")]
    [InlineData("conv32k", "encoder layer 1 'conv32k': expected conv<channels>k<kernel>")]
    [InlineData("conv32k4p1s2", "encoder layer 1 'conv32k4p1s2': expected conv<channels>k<kernel>[s<stride>][p<padding>]")]
    [InlineData("conv32k4s2p1o1", "encoder layer 1 'conv32k4s2p1o1': expected conv<channels>k<kernel>")]
    [InlineData("conv32k4x", "encoder layer 1 'conv32k4x': expected conv<channels>")]
    [InlineData("conv0k4", "encoder layer 1 'conv0k4': a convolution needs at least 1 output channel")]
    [InlineData("conv8k0", "encoder layer 1 'conv8k0': the kernel size must be at least 1")]
    [InlineData("conv8k3s0", "encoder layer 1 'conv8k3s0': the stride must be at least 1")]
    [InlineData("conv8k99999999999", "encoder layer 1 'conv8k99999999999': 99999999999 is more than a size can be (2147483647)")]
    [InlineData("conv8k3:swish", "encoder layer 1 'conv8k3:swish': unknown activation 'swish'")]
    [InlineData("deconv0k4", "encoder layer 1 'deconv0k4': a transposed convolution needs at least 1 output channel")]
    [InlineData("deconv8k4s2p1o2", "encoder layer 1 'deconv8k4s2p1o2': the output padding 2 must be smaller than the stride 2")]
    [InlineData("deconv8k3o1", "encoder layer 1 'deconv8k3o1': the output padding 1 must be smaller than the stride 1")]
    [InlineData("deconv8", "encoder layer 1 'deconv8': the kernel size k<kernel> is missing; expected deconv<channels>k<kernel>[s<stride>][p<padding>][o<output-padding>][:activation]")]
    [InlineData("pool", "encoder layer 1 'pool': expected pool<kernel>[s<stride>], e.g. pool2")]
    [InlineData("pool0", "encoder layer 1 'pool0': the pooling window must be at least 1")]
    [InlineData("pool2k2", "encoder layer 1 'pool2k2': expected pool<kernel>[s<stride>]")]
    [InlineData("pool2:relu", "encoder layer 1 'pool2:relu': max-pooling has no weights and takes no activation; only fc, conv, deconv and bn take ':activation'")]
    [InlineData("up", "encoder layer 1 'up': expected up<factor>, e.g. up2")]
    [InlineData("up0", "encoder layer 1 'up0': the upsampling factor must be at least 1")]
    [InlineData("up2s2", "encoder layer 1 'up2s2': expected up<factor>")]
    [InlineData("up2:tanh", "encoder layer 1 'up2:tanh': upsampling has no weights and takes no activation")]
    [InlineData("flatten:relu", "encoder layer 1 'flatten:relu': flatten has no weights and takes no activation")]
    [InlineData("flatten2", "encoder layer 1 'flatten2': unknown layer")]
    [InlineData("bn2", "encoder layer 1 'bn2': unknown layer")]
    [InlineData("unflatten", "encoder layer 1 'unflatten': expected unflatten<channels>x<height>x<width>, e.g. unflatten64x7x7")]
    [InlineData("unflatten64x7", "encoder layer 1 'unflatten64x7': expected unflatten<channels>x<height>x<width>")]
    [InlineData("unflatten64x7x7x1", "encoder layer 1 'unflatten64x7x7x1': expected unflatten")]
    [InlineData("unflatten64x0x7", "encoder layer 1 'unflatten64x0x7': an image needs at least 1 channel, row and column")]
    [InlineData("unflatten65536x65536x65536", "encoder layer 1 'unflatten65536x65536x65536': a 65536×65536×65536 image has more values than one tensor holds")]
    [InlineData("unflatten64x7x7:relu", "encoder layer 1 'unflatten64x7x7:relu': unflatten has no weights and takes no activation")]
    [InlineData("fc8,maxpool2", "encoder layer 2 'maxpool2': unknown layer; expected fc<units>[:activation], e.g. fc400 or fc400:tanh, or one of fc<units>, conv<channels>k<kernel>[s<stride>][p<padding>], deconv")]
    public void RejectsMalformedConvolutionalLayers(string description, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Architecture.Parse(description, "encoder"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("conv32k4s2p1", "32×14×14")]
    [InlineData("conv32k4s2p1,conv64k4s2p1", "64×7×7")]
    [InlineData("conv32k4s2p1,conv64k4s2p1,fc256", "256 features")]
    [InlineData("conv8k3", "8×26×26")]
    [InlineData("conv8k3p1,pool2,conv16k3p1,pool2", "16×7×7")]
    [InlineData("pool3s2", "1×13×13")]
    [InlineData("conv4k4s2p1,conv4k4s2p1,conv4k4s2p1", "4×3×3")]
    [InlineData("conv4k4s2p1,deconv2k4s2p1", "2×28×28")]
    [InlineData("conv4k3s2p1,deconv2k3s2p1o1", "2×28×28")]
    [InlineData("conv4k3s2p1,deconv2k3s2p1", "2×27×27")]
    [InlineData("up2", "1×56×56")]
    [InlineData("bn,conv2k1", "2×28×28")]
    [InlineData("flatten", "784 features")]
    [InlineData("flatten,bn,fc10", "10 features")]
    [InlineData("fc3136,unflatten64x7x7,deconv1k4s2p1", "1×14×14")]
    [InlineData("conv2k28", "2×1×1")]
    [InlineData("conv2k4s2p1,deconv3k1p1", "3×12×12")]
    public void TracksTheShapes(string description, string expected)
    {
        Assert.Equal(expected, Architecture.OutputShape(Architecture.Parse(description, "encoder"), s_mnist, "encoder").ToString());
    }

    [Theory]
    [InlineData("conv32k4s2p1,conv64k4s2p1,conv64k4s2p1,conv64k4s2p1,conv64k4s2p1",
        "encoder layer 5 'conv64k4s2p1': a 4×4 window with stride 2 and padding 1 does not fit a 1×1 image; it receives 64×1×1")]
    [InlineData("conv8k31", "encoder layer 1 'conv8k31': a 31×31 window with stride 1 and padding 0 does not fit a 28×28 image; it receives 1×28×28")]
    [InlineData("fc256,conv32k3", "encoder layer 2 'conv32k3': a convolution needs an image (c×h×w); it receives 256 features (add unflatten<c>x<h>x<w> before it, or give the data an image shape)")]
    [InlineData("flatten,deconv8k4", "encoder layer 2 'deconv8k4': a transposed convolution needs an image (c×h×w); it receives 784 features")]
    [InlineData("fc10,pool2", "encoder layer 2 'pool2': max-pooling needs an image (c×h×w); it receives 10 features")]
    [InlineData("fc10,up2", "encoder layer 2 'up2': upsampling needs an image (c×h×w); it receives 10 features")]
    [InlineData("fc10,flatten", "encoder layer 2 'flatten': flatten needs an image (c×h×w); it receives 10 features")]
    [InlineData("conv2k2s2,conv2k2s2,conv2k2s2,conv2k2s2,pool2", "encoder layer 5 'pool2': a 2×2 pooling window does not fit a 1×1 image; it receives 2×1×1")]
    [InlineData("unflatten1x28x28", "encoder layer 1 'unflatten1x28x28': unflatten needs features; it receives the image 1×28×28 (add flatten before it, or drop it)")]
    [InlineData("fc100,unflatten64x7x7", "encoder layer 2 'unflatten64x7x7': unflatten to 64×7×7 needs 3136 features; it receives 100 features")]
    [InlineData("conv2k4s2p1,deconv3k1p7", "encoder layer 2 'deconv3k1p7': a 1×1 transposed convolution with stride 1, padding 7 and output padding 0 turns a 14×14 image into 0×0; it receives 2×14×14")]
    [InlineData("up50000", "encoder layer 1 'up50000': turns 1×28×28 into 1×1400000×1400000, more values per item than one tensor holds")]
    public void ShapeErrorsNameThePartTheLayerAndTheShapes(string description, string expected)
    {
        var layers = Architecture.Parse(description, "encoder");
        var error = Assert.Throws<FormatException>(() => Architecture.OutputShape(layers, s_mnist, "encoder"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ConvolutionsOnFlatDataWithoutAShapeAreRefused()
    {
        var error = Assert.Throws<FormatException>(() => Architecture.OutputShape(Architecture.Parse("conv8k3", "encoder"), LayerShape.FromFeatures(784), "encoder"));
        Assert.StartsWith("encoder layer 1 'conv8k3': a convolution needs an image (c×h×w); it receives 784 features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyWeightsAreRefused()
    {
        var error = Assert.Throws<FormatException>(() => Architecture.OutputShape(Architecture.Parse("conv60000k200", "encoder"), s_mnist, "encoder"));
        Assert.Equal($"encoder layer 1 'conv60000k200': a convolution from 1 to 60000 channels with a 200×200 kernel needs 2400000000 weights, more than one tensor holds ({Array.MaxLength})", error.Message);
    }

    [Theory]
    [InlineData("conv8k3", true)]
    [InlineData("pool2", true)]
    [InlineData("bn", true)]
    [InlineData("flatten", true)]
    [InlineData("up2", true)]
    [InlineData("drop0.2,conv8k3", true)]
    [InlineData("fc10", false)]
    [InlineData("drop0.2,fc10", false)]
    [InlineData("", false)]
    public void TheNetworkTakesImagesWhenItsFirstLayerNeedsOne(string description, bool takesImage)
    {
        Assert.Equal(takesImage, Architecture.TakesImage(Architecture.Parse(description), s_mnist));
        Assert.False(Architecture.TakesImage(Architecture.Parse(description), LayerShape.FromFeatures(784)));
    }

    [Fact]
    public void TheDecoderEndsAtTheInputShapeOrGetsATransposedConvolution()
    {
        var mnist = new ImageShape(1, 28, 28);
        var options = new AutoencoderOptions { Inputs = 784, InputShape = mnist, Latent = 4 };

        // Ends at features: a linear layer to the input size.
        Assert.Equal("fc784:none", (options with { Decoder = "fc16" }).DecoderLayers()[^1].Text);

        // Ends at another image: a 4×4 stride-2 transposed convolution to the input's channels.
        var added = (options with { Decoder = "fc3136,unflatten64x7x7,deconv32k4s2p1" }).DecoderLayers();
        Assert.Equal(4, added.Count);
        Assert.Equal("deconv1k4s2p1:none", added[^1].Text);
        Assert.Equal(LayerKind.TransposedConvolution, added[^1].Kind);
        Assert.Equal(LayerShape.FromImage(mnist), Architecture.OutputShape(added, LayerShape.FromFeatures(4), "decoder"));

        // Ends at the input's shape: nothing added; the last layer must name its activation.
        var exact = (options with { Decoder = "fc3136,unflatten64x7x7,up2,conv32k3p1,up2,conv1k3p1:none" }).DecoderLayers();
        Assert.Equal(6, exact.Count);
        Assert.Equal("conv1k3p1:none", exact[^1].Text);
        var implicitActivation = Assert.Throws<FormatException>(() => (options with { Decoder = "fc3136,unflatten64x7x7,up2,conv32k3p1,up2,conv1k3p1" }).Validate());
        Assert.Equal(
            "decoder layer 6 'conv1k3p1': the decoder ends at the input's shape 1×28×28, so this layer gives the likelihood's parameters (logits or means) and must name its activation, usually ':none' ('conv1k3p1:none')",
            implicitActivation.Message);

        // Ends at an image the added layer cannot bring to the input's shape.
        var wrong = Assert.Throws<FormatException>(() => (options with { Decoder = "fc1024,unflatten64x4x4,deconv32k4s2p1" }).Validate());
        Assert.Equal(
            "decoder layer 4 'deconv1k4s2p1:none' (the output layer added after a decoder that ends in an image): turns 32×8×8 into 1×16×16, not the input's 1×28×28; end the decoder at the input's shape 1×28×28 (its last layer is then the output) or at c×14×14 (which the added layer doubles)",
            wrong.Message);

        // Without an image shape, an image-ending decoder gets the linear layer (which flattens the image).
        var flat = new AutoencoderOptions { Inputs = 784, Latent = 4, Decoder = "fc3136,unflatten64x7x7" };
        Assert.Equal("fc784:none", flat.DecoderLayers()[^1].Text);
    }

    [Fact]
    public void AFullyConnectedLayerAfterAnImageIsPrecededByFlattenAsInPyTorch()
    {
        var built = Architecture.Build("conv2k4s2p1,fc10", s_mnist, Activation.Relu, new Rng(1));
        Assert.True(built.TakesImage);
        Assert.IsType<Flatten>(built.Module[2]);
        Assert.IsType<Linear>(built.Module[3]);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias"], built.Module.Parameters().Select(p => p.Name));

        // On the flat rows of an image input, fc needs no Flatten module.
        var mlp = Architecture.Build("fc10,fc5", s_mnist, Activation.Relu, new Rng(1));
        Assert.False(mlp.TakesImage);
        Assert.IsType<Linear>(mlp.Module[0]);
    }

    [Fact]
    public void DropoutBetweenConvolutionsKeepsTheImage()
    {
        var built = Architecture.Build("drop0.2,conv2k4s2p1,drop0.5,conv2k3p1,drop0.1,fc6", s_mnist, Activation.Relu, new Rng(1));
        Assert.True(built.TakesImage);
        Assert.Equal(
            ["Dropout", "Conv2d", "Relu", "Dropout", "Conv2d", "Relu", "Dropout", "Flatten", "Linear", "Relu"],
            built.Module.Children().Select(c => c.Module.GetType().Name));
        using var tape = new Tape { GradEnabled = false, Noise = new Rng(2) };
        Assert.Equal([3, 6], built.Module.Forward(tape.Input(Tensor.Zeros(3, 784)).Unflatten(new ImageShape(1, 28, 28))).Value.Shape.ToArray());
    }

    [Fact]
    public void UnflattenAndFlattenAreViews()
    {
        var built = Architecture.Build("fc12,unflatten3x2x2,flatten", LayerShape.FromFeatures(5), Activation.Identity, new Rng(1));
        Assert.Equal(3, built.Module.Count);
        using var tape = new Tape { GradEnabled = false };
        var y = built.Module.Forward(tape.Input(Tensor.Zeros(2, 5)));
        Assert.Equal([2, 12], y.Value.Shape.ToArray());
        var image = Architecture.Build("fc12,unflatten3x2x2", LayerShape.FromFeatures(5), Activation.Identity, new Rng(1));
        Assert.Equal([2, 3, 2, 2], image.Module.Forward(tape.Input(Tensor.Zeros(2, 5))).Value.Shape.ToArray());
    }
}
