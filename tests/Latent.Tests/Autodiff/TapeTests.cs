using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class TapeTests
{
    [Fact]
    public void GradientsAccumulateWhenAVarIsUsedTwice()
    {
        // L = Σ (x ⊙ x + 3x) has ∂x = 2x + 3: two paths through x meet in one gradient.
        var values = Tensor.FromArray([1f, -2f, 0.5f], 3);
        var tape = new Tape();
        var x = tape.Input(values, requiresGrad: true);
        tape.Backward(Ops.Add(Ops.Multiply(x, x), x.Scale(3f)).Sum());
        Assert.Equal([5f, -1f, 4f], x.Grad!.ToArray());
    }

    [Fact]
    public void ParametersAccumulateAcrossStepsUntilZeroGrad()
    {
        var w = Var.Parameter(Tensor.FromArray([2f, 3f], 2), "w");
        var tape = new Tape();
        for (int step = 0; step < 2; step++)
        {
            tape.Backward(Ops.Multiply(tape.Input(Tensor.FromArray([1f, 10f], 2)), w).Sum());
            tape.Reset();
        }

        Assert.Equal([2f, 20f], w.Grad!.ToArray());
        w.ZeroGrad();
        tape.Backward(Ops.Multiply(tape.Input(Tensor.FromArray([1f, 1f], 2)), w).Sum());
        Assert.Equal([1f, 1f], w.Grad!.ToArray());
    }

    [Fact]
    public void LossThatIsNotOneElementIsAClearError()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(2, 3), requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => tape.Backward(x.RowSums()));
        Assert.Contains("one-element loss", error.Message);
        Assert.Contains("Sum or Mean", error.Message);
    }

    [Fact]
    public void RepeatedVaeStepsStopCreatingTensors()
    {
        // A whole VAE step (encoder, split, reparameterise, decoder, BCE + KL, backward) through one pool:
        // after the first step every tensor comes back from the pool on Reset.
        var rng = new Rng(90);
        var encoderWeight = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 16, 12));
        var encoderBias = Var.Parameter(Tensor.Zeros(16));
        var headWeight = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 8, 16));
        var decoderWeight = Var.Parameter(GradCheck.Random(rng, -0.3f, 0.3f, 12, 4));
        var decoderBias = Var.Parameter(Tensor.Zeros(12));
        var batch = GradCheck.Random(rng, 0, 1, 5, 12);
        var tape = new Tape();
        int[] created = new int[4];
        for (int step = 0; step < created.Length; step++)
        {
            var x = tape.Input(batch);
            var hidden = Ops.Linear(x, encoderWeight, encoderBias, Activation.Relu);
            var (mean, logVar) = Ops.Linear(hidden, headWeight).SplitColumns(4);
            var z = Ops.Reparameterize(mean, logVar, rng);
            var logits = Ops.Linear(z, decoderWeight, decoderBias);
            var loss = Ops.Add(Ops.BceWithLogits(logits, x), Ops.KlDiagonalGaussian(mean, logVar)).Mean();
            Assert.True(float.IsFinite(loss.Item));
            tape.Backward(loss);
            tape.Reset();
            created[step] = tape.Pool.Created;
        }

        Assert.True(created[0] > 0);
        Assert.Equal(created[1], created[3]);
        Assert.Equal(created[1], created[2]);
    }

    [Fact]
    public void OpsWithoutGradientKeepNothingForBackward()
    {
        var tape = new Tape();
        var rng = new Rng(91);
        var x = tape.Input(GradCheck.Random(rng, -1, 1, 3, 4));
        var logVar = tape.Input(GradCheck.Random(rng, -1, 1, 3, 4));
        Var[] outputs =
        [
            x.TopKMask(2),
            Ops.Reparameterize(x, logVar, rng),
            Ops.MeanSquaredError(x, logVar),
            Ops.GaussianNll(x, x, logVar),
            Ops.PairwiseSquaredDistances(x, logVar),
        ];
        Assert.All(outputs, o =>
        {
            Assert.False(o.RequiresGrad);
            Assert.Null(o.Saved);
            Assert.Null(o.Saved2);
        });

        // With a gradient wanted but the tape's recording switched off, likewise.
        tape.GradEnabled = false;
        var p = tape.Input(GradCheck.Random(rng, -1, 1, 3, 4), requiresGrad: true);
        Assert.Null(p.TopKMask(2).Saved);
    }
}
