using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

/// <summary>The binary cross-entropy over a batch large enough to be split over the cores.</summary>
public class BceParallelTests
{
    [Fact]
    [Trait("Category", "Kernels")]
    public void ALargeBatchGivesTheSameLossAndGradientOnOneThreadAndOnTwo()
    {
        var rng = new Rng(70);
        var logits = GradCheck.Random(rng, -12, 12, 301, 784);
        var targets = GradCheck.Random(rng, 0, 1, 301, 784);
        var upstream = GradCheck.Random(rng, -2, 2, 301);

        (float[] loss1, float[] grad1) = Run(logits, targets, upstream, threads: 1);
        (float[] loss2, float[] grad2) = Run(logits, targets, upstream, threads: 2);

        Assert.Equal(loss1, loss2);
        Assert.Equal(grad1, grad2);

        // And both are the loss and its gradient, row by row, against a double-precision reference.
        for (int i = 0; i < 301; i += 50)
        {
            double total = 0;
            for (int j = 0; j < 784; j++)
            {
                double l = logits[i, j], t = targets[i, j], p = 1 / (1 + Math.Exp(-l));
                total += Math.Max(l, 0) - (l * t) + Math.Log(1 + Math.Exp(-Math.Abs(l)));
                Assert.Equal(upstream[i] * (p - t), grad1[(i * 784) + j], 1e-5);
            }

            Assert.Equal(total, loss1[i], total * 1e-5);
        }
    }

    private static (float[] Loss, float[] Gradient) Run(Tensor logits, Tensor targets, Tensor upstream, int threads)
    {
        using (Parallelism.Limit(threads))
        {
            using var tape = new Tape();
            var l = tape.Input(logits, requiresGrad: true);
            var loss = Ops.BceWithLogits(l, tape.Input(targets));
            var weighted = Ops.Sum(Ops.Multiply(loss, tape.Input(upstream)));
            tape.Backward(weighted);
            return (loss.Value.ToArray(), l.Grad!.ToArray());
        }
    }
}
