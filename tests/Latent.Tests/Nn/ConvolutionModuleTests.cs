using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class ConvolutionModuleTests
{
    [Fact]
    public void Conv2dHasPyTorchsNamesLayoutsAndInitialisation()
    {
        var layer = new Conv2d(3, 8, 4, 2, 1, new Rng(1));
        var state = layer.StateDict();
        Assert.Equal(["weight", "bias"], state.Keys);
        Assert.Equal([8, 3, 4, 4], state["weight"].Shape);
        Assert.Equal([8], state["bias"].Shape);

        // fan_in = in·k·k = 48; the weight is drawn first, then the bias, from the same generator.
        float bound = 1f / MathF.Sqrt(48);
        var expected = new Rng(1);
        var weight = new float[8 * 3 * 4 * 4];
        expected.FillUniform(weight, -bound, bound);
        var bias = new float[8];
        expected.FillUniform(bias, -bound, bound);
        Assert.Equal(weight, state["weight"].ToArray());
        Assert.Equal(bias, state["bias"].ToArray());
        Assert.Contains(weight, v => MathF.Abs(v) > 0.8f * bound);
    }

    [Fact]
    public void ConvTranspose2dHasPyTorchsNamesLayoutsAndInitialisation()
    {
        var layer = new ConvTranspose2d(8, 3, 4, 2, 1, 0, new Rng(2));
        var state = layer.StateDict();
        Assert.Equal(["weight", "bias"], state.Keys);
        Assert.Equal([8, 3, 4, 4], state["weight"].Shape);
        Assert.Equal([3], state["bias"].Shape);

        // PyTorch takes fan_in from the weight's second dimension: out·k·k = 48.
        float bound = 1f / MathF.Sqrt(48);
        var expected = new Rng(2);
        var weight = new float[8 * 3 * 4 * 4];
        expected.FillUniform(weight, -bound, bound);
        var bias = new float[3];
        expected.FillUniform(bias, -bound, bound);
        Assert.Equal(weight, state["weight"].ToArray());
        Assert.Equal(bias, state["bias"].ToArray());
    }

    [Fact]
    public void LayersWithoutBiasHaveOnlyAWeight()
    {
        Assert.Equal(["weight"], new Conv2d(1, 2, 3, 1, 1, new Rng(3), bias: false).StateDict().Keys);
        Assert.Equal(["weight"], new ConvTranspose2d(1, 2, 3, 1, 1, 0, new Rng(3), bias: false).StateDict().Keys);
    }

    [Fact]
    public void OutputShapesFollowTheConvVae()
    {
        var rng = new Rng(4);
        var conv1 = new Conv2d(1, 32, 4, 2, 1, rng);
        var conv2 = new Conv2d(32, 64, 4, 2, 1, rng);
        var deconv1 = new ConvTranspose2d(64, 32, 4, 2, 1, 0, rng);
        var deconv2 = new ConvTranspose2d(32, 1, 4, 2, 1, 0, rng);
        var h1 = conv1.OutputShape(new ImageShape(1, 28, 28));
        var h2 = conv2.OutputShape(h1);
        var h3 = deconv1.OutputShape(h2);
        var h4 = deconv2.OutputShape(h3);
        Assert.Equal(new ImageShape(32, 14, 14), h1);
        Assert.Equal(new ImageShape(64, 7, 7), h2);
        Assert.Equal(new ImageShape(32, 14, 14), h3);
        Assert.Equal(new ImageShape(1, 28, 28), h4);
        Assert.Equal(new ImageShape(3, 8, 8), new ConvTranspose2d(2, 3, 3, 2, 1, 1, rng).OutputShape(new ImageShape(2, 4, 4)));

        // The shapes the modules report are those their forward passes produce.
        using var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(2, 1, 28, 28));
        var y = deconv2.Forward(deconv1.Forward(conv2.Forward(conv1.Forward(x))));
        Assert.Equal([2, 1, 28, 28], y.Value.Shape);
    }

    [Fact]
    public void OutputShapeErrorsReadAsTheOpsDo()
    {
        var rng = new Rng(5);
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(1, 32, 4, 2, 1, rng).OutputShape(new ImageShape(3, 28, 28)));
        Assert.Contains("Conv2d: input 3×28×28 has 3 channels; the weight [32, 1, 4, 4] takes 1", error.Message);
        error = Assert.Throws<ArgumentException>(() => new ConvTranspose2d(64, 32, 4, 2, 1, 0, rng).OutputShape(new ImageShape(32, 7, 7)));
        Assert.Contains("ConvTranspose2d: input 32×7×7 has 32 channels; the weight [64, 32, 4, 4] takes 64", error.Message);
        error = Assert.Throws<ArgumentException>(() => new Conv2d(1, 2, 5, 1, 0, rng).OutputShape(new ImageShape(1, 3, 3)));
        Assert.Contains("does not fit", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(1, 2, 3, 2, 1, 2, rng));
    }

    [Fact]
    public void FusedActivationsAreIdenticalToLayerByLayer()
    {
        var rng = new Rng(6);
        var model = new Sequential(
            new Conv2d(1, 8, 4, 2, 1, rng), new Relu(),
            new Conv2d(8, 16, 3, 2, 1, rng), new LeakyRelu(0.2f),
            new ConvTranspose2d(16, 8, 3, 2, 1, 1, rng), new Tanh(),
            new ConvTranspose2d(8, 1, 4, 2, 1, 0, rng), new Sigmoid());
        var data = new float[5 * 1 * 12 * 12];
        rng.FillUniform(data);

        (float[] fusedOutput, float[][] fusedGradients, int fusedNodes) = Run(model, data, fused: true);
        (float[] plainOutput, float[][] plainGradients, int plainNodes) = Run(model, data, fused: false);
        Assert.Equal(plainNodes - 4, fusedNodes);
        Assert.Equal([5 * 1 * 12 * 12], [fusedOutput.Length]);
        Assert.Equal(plainOutput, fusedOutput);
        Assert.Equal(plainGradients.Length, fusedGradients.Length);
        for (int i = 0; i < plainGradients.Length; i++)
        {
            Assert.Equal(plainGradients[i], fusedGradients[i]);
            Assert.Contains(fusedGradients[i], v => v != 0f);
        }
    }

    [Fact]
    public void ALayerWithItsOwnActivationDoesNotFuseAnother()
    {
        var rng = new Rng(7);
        IFusesActivation plain = new Conv2d(1, 2, 3, 1, 1, rng);
        IFusesActivation activated = new ConvTranspose2d(1, 2, 3, 1, 1, 0, rng, activation: Activation.Relu);
        Assert.True(plain.CanFuse(new Relu()));
        Assert.False(activated.CanFuse(new Tanh()));
    }

    [Fact]
    public void DescriptionsNameTheWindow()
    {
        var rng = new Rng(8);
        Assert.Equal("Conv2d(in=1, out=32, kernel=4, stride=2, padding=1, bias=True)", new Conv2d(1, 32, 4, 2, 1, rng).ToString());
        Assert.Equal(
            "ConvTranspose2d(in=32, out=1, kernel=4, stride=2, padding=1, output_padding=0, bias=True, activation=Sigmoid)",
            new ConvTranspose2d(32, 1, 4, 2, 1, 0, rng, activation: Activation.Sigmoid).ToString());
    }

    private static (float[] Output, float[][] Gradients, int Nodes) Run(Sequential model, float[] data, bool fused)
    {
        model.ZeroGrad();
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, 5, 1, 12, 12));
        var y = fused ? model.Forward(x) : model.ForwardUnfused(x);
        var loss = Ops.MeanSquaredError(y, x);
        int nodes = tape.Count;
        tape.Backward(loss);
        return (y.Value.ToArray(), [.. model.ParameterVars().Select(p => p.Grad!.ToArray())], nodes);
    }
}
