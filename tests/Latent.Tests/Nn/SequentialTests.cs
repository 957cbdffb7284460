using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Nn;

public class SequentialTests
{
    [Fact]
    public void LayersAreNamedByPosition()
    {
        var rng = new Rng(1);
        var model = new Sequential(new Linear(3, 4, rng), new Relu(), new Dropout(0.1f), new Linear(4, 2, rng, bias: false));
        Assert.Equal(4, model.Count);
        Assert.Equal(["0", "1", "2", "3"], model.Children().Select(c => c.Name));
        Assert.Equal(["0.weight", "0.bias", "3.weight"], model.Parameters().Select(p => p.Name));
        Assert.IsType<Relu>(model[1]);
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void FusedForwardAndGradientsAreIdenticalToLayerByLayer()
    {
        var rng = new Rng(21);
        var model = new Sequential(
            new Linear(5, 16, rng), new Relu(),
            new Linear(16, 16, rng), new Tanh(),
            new Linear(16, 7, rng), new Sigmoid(),
            new Linear(7, 16, rng), new LeakyRelu(0.2f),
            new Linear(16, 3, rng), new Identity(),
            new Linear(3, 2, rng, activation: Activation.Tanh), new LeakyRelu(0.3f));
        var data = new float[9 * 5];
        rng.FillNormal(data, 0f, 2f);
        var targetData = new float[9 * 2];
        rng.FillNormal(targetData);

        (float[] fusedOutput, float[][] fusedGradients, int fusedNodes) = Run(model, data, targetData, fused: true);
        (float[] plainOutput, float[][] plainGradients, int plainNodes) = Run(model, data, targetData, fused: false);

        // Five linear layers fuse with the activation after them (the last has its own, so the leaky relu stays
        // apart); the identity records no op even unfused, so fusing saves four ops.
        Assert.Equal(plainNodes - 4, fusedNodes);
        Assert.Equal(plainOutput, fusedOutput);
        Assert.Equal(plainGradients.Length, fusedGradients.Length);
        for (int i = 0; i < plainGradients.Length; i++)
        {
            Assert.Equal(plainGradients[i], fusedGradients[i]);
        }

        Assert.All(fusedGradients, g => Assert.Contains(g, v => v != 0f));
    }

    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NarrowFusedOutputsAreIdenticalToo(int outputs)
    {
        // Fewer than four columns is where a per-row activation in the GEMM could round differently.
        var rng = new Rng(31);
        var model = new Sequential(new Linear(6, 5, rng), new Tanh(), new Linear(5, outputs, rng), new Sigmoid());
        var data = new float[9 * 6];
        rng.FillNormal(data, 0f, 3f);
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, 9, 6));
        Assert.Equal(model.ForwardUnfused(x).Value.ToArray(), model.Forward(x).Value.ToArray());
        var narrow = new Sequential(new Linear(6, outputs, rng), new Tanh());
        Assert.Equal(narrow.ForwardUnfused(x).Value.ToArray(), narrow.Forward(x).Value.ToArray());
    }

    [Fact]
    public void SequentialAsksTheFusionInterfaceNotTheLayerType()
    {
        // A layer of another type that fuses only a tanh: Sequential hands it the tanh and its slope, and runs
        // a relu after it as a layer of its own.
        var fusing = new FusesTanhOnly();
        var model = new Sequential(fusing, new Tanh(), fusing, new Relu(), fusing, new LeakyRelu(0.2f));
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([-1f, 0.5f, 2f], 1, 3));
        var y = model.Forward(x);
        Assert.Equal([(Activation.Tanh, ActivationKernels.DefaultLeakySlope)], fusing.Fused);
        Assert.Equal(2, fusing.Unfused);
        Assert.Equal(model.ForwardUnfused(x).Value.ToArray(), y.Value.ToArray());
    }

    [Fact]
    public void ALinearLayerWithItsOwnActivationDoesNotFuseAnother()
    {
        var rng = new Rng(3);
        IFusesActivation plain = new Linear(2, 2, rng);
        IFusesActivation activated = new Linear(2, 2, rng, activation: Activation.Sigmoid);
        Assert.True(plain.CanFuse(new Relu()));
        Assert.True(plain.CanFuse(new Identity()));
        Assert.False(activated.CanFuse(new Relu()));
    }

    [Fact]
    public void NullLayersAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sequential(new Relu(), null!));
        Assert.Contains("Layer 1", error.Message);
    }

    /// <summary>y = 2x, fusing a following tanh (applied unfused by the same op Tanh runs, so results agree).</summary>
    private sealed class FusesTanhOnly : Module, IFusesActivation
    {
        public List<(Activation, float)> Fused { get; } = [];

        public int Unfused { get; private set; }

        public override Var Forward(Var x)
        {
            Unfused++;
            return x.Scale(2f);
        }

        public bool CanFuse(ActivationModule next) => next.Activation == Activation.Tanh;

        public Var Forward(Var x, Activation activation, float leakySlope)
        {
            Fused.Add((activation, leakySlope));
            return Ops.Activate(x.Scale(2f), activation, leakySlope);
        }
    }

    private static (float[] Output, float[][] Gradients, int Nodes) Run(Sequential model, float[] data, float[] targetData, bool fused)
    {
        model.ZeroGrad();
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray(data, 9, 5));
        var y = fused ? model.Forward(x) : model.ForwardUnfused(x);
        var loss = Ops.MeanSquaredError(y, tape.Input(Tensor.FromArray(targetData, 9, 2)));
        int nodes = tape.Count;
        tape.Backward(loss);
        return (y.Value.ToArray(), [.. model.ParameterVars().Select(p => p.Grad!.ToArray())], nodes);
    }
}
