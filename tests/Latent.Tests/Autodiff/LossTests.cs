using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

// The vectorised kernels (and the GEMM) under these ops are re-checked on every instruction set.
[Trait("Category", "Kernels")]
public class LossTests
{
    private static double[] RowTotals(int rows, int columns, Func<int, int, double> element) =>
        Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, columns).Sum(j => element(i, j))).ToArray();

    [Fact]
    public void BceWithLogitsMatchesCrossEntropyPerRow()
    {
        var rng = new Rng(60);
        var logits = GradCheck.Random(rng, -4, 4, 3, 18);
        var targets = GradCheck.Random(rng, 0, 1, 3, 18);
        var tape = new Tape();
        var loss = Ops.BceWithLogits(tape.Input(logits), tape.Input(targets));
        Expect.Shape(loss.Value, 3);
        var expected = RowTotals(3, 18, (i, j) =>
        {
            double p = 1 / (1 + Math.Exp(-logits[i, j]));
            return -((targets[i, j] * Math.Log(p)) + ((1 - targets[i, j]) * Math.Log(1 - p)));
        });
        Expect.Close(expected, loss.Value.Span);
    }

    [Fact]
    public void BceWithLogitsGradients()
    {
        var rng = new Rng(61);
        var logits = GradCheck.Random(rng, -4, 4, 3, 18);
        var targets = GradCheck.Random(rng, 0, 1, 3, 18);
        GradCheck.Check(v => Ops.BceWithLogits(v[0], v[1]), [logits, targets]);
    }

    [Fact]
    public void BceWithLogitsIsStableAtHundred()
    {
        var logits = Tensor.FromArray([100f, -100f, 100f, -100f], 1, 4);
        var targets = Tensor.FromArray([1f, 0f, 0f, 1f], 1, 4);
        var tape = new Tape();
        var l = tape.Input(logits, requiresGrad: true);
        var loss = Ops.BceWithLogits(l, tape.Input(targets));

        // The two confident right answers cost e^−100 ≈ 0; the two confident wrong ones cost 100 each.
        Assert.Equal(200.0, loss.Value[0], 1e-3);
        tape.Backward(loss.Sum());
        Assert.Equal([0f, 0f, 1f, -1f], l.Grad!.ToArray());
    }

    [Fact]
    public void SquaredErrorPerRowAndGradients()
    {
        var rng = new Rng(62);
        var prediction = GradCheck.Random(rng, -1, 1, 3, 17);
        var target = GradCheck.Random(rng, -1, 1, 3, 17);
        var tape = new Tape();
        var loss = Ops.SquaredError(tape.Input(prediction), tape.Input(target));
        Expect.Shape(loss.Value, 3);
        Expect.Close(RowTotals(3, 17, (i, j) => Math.Pow(prediction[i, j] - target[i, j], 2)), loss.Value.Span);
        GradCheck.Check(v => Ops.SquaredError(v[0], v[1]), [prediction, target]);
    }

    [Fact]
    public void LossesAcceptMatchingMatricesOfAnotherRank()
    {
        // Images [2, 1, 2, 3] against a decoder's [2, 6].
        var rng = new Rng(63);
        var images = GradCheck.Random(rng, 0, 1, 2, 1, 2, 3);
        var logits = GradCheck.Random(rng, -1, 1, 2, 6);
        var tape = new Tape();
        var loss = Ops.BceWithLogits(tape.Input(logits), tape.Input(images));
        Expect.Shape(loss.Value, 2);
        Assert.Throws<ArgumentException>(() => Ops.SquaredError(tape.Input(logits), tape.Input(Tensor.Zeros(3, 4))));
    }

    public static TheoryData<string> LogVarLayouts() => ["element", "vector", "row", "shared"];

    private static Tensor LogVar(string layout, Rng rng) => layout switch
    {
        "element" => GradCheck.Random(rng, -1, 1, 3, 17),
        "vector" => GradCheck.Random(rng, -1, 1, 17),
        "row" => GradCheck.Random(rng, -1, 1, 1, 17),
        _ => GradCheck.Random(rng, -1, 1, 1),
    };

    [Theory]
    [MemberData(nameof(LogVarLayouts))]
    public void GaussianNllMatchesLogDensity(string layout)
    {
        var rng = new Rng(64);
        var x = GradCheck.Random(rng, -2, 2, 3, 17);
        var mean = GradCheck.Random(rng, -1, 1, 3, 17);
        var logVar = LogVar(layout, rng);
        var tape = new Tape();
        var nll = Ops.GaussianNll(tape.Input(x), tape.Input(mean), tape.Input(logVar));
        Expect.Shape(nll.Value, 3);
        var expected = RowTotals(3, 17, (i, j) =>
        {
            double lv = layout switch { "element" => logVar[i, j], "shared" => logVar[0], _ => logVar[j] };
            double variance = Math.Exp(lv);
            double r = x[i, j] - mean[i, j];

            // −log N(x; μ, σ²) written from the density itself.
            return -Math.Log(Math.Exp(-r * r / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance));
        });
        Expect.Close(expected, nll.Value.Span);
    }

    [Theory]
    [MemberData(nameof(LogVarLayouts))]
    public void GaussianNllGradients(string layout)
    {
        var rng = new Rng(65);
        var x = GradCheck.Random(rng, -2, 2, 3, 17);
        var mean = GradCheck.Random(rng, -1, 1, 3, 17);
        var logVar = LogVar(layout, rng);
        GradCheck.Check(v => Ops.GaussianNll(v[0], v[1], v[2]), [x, mean, logVar]);
    }

    [Fact]
    public void GaussianNllRejectsOtherLogVarShapes()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(3, 4));
        var error = Assert.Throws<ArgumentException>(() => Ops.GaussianNll(x, x, tape.Input(Tensor.Zeros(3))));
        Assert.Contains("logσ²", error.Message);
    }

    [Fact]
    public void KlMatchesClosedFormAndGradients()
    {
        var rng = new Rng(66);
        var mean = GradCheck.Random(rng, -2, 2, 3, 18);
        var logVar = GradCheck.Random(rng, -2, 2, 3, 18);
        var tape = new Tape();
        var kl = Ops.KlDiagonalGaussian(tape.Input(mean), tape.Input(logVar));
        Expect.Shape(kl.Value, 3);

        // KL(N(μ, σ²) ‖ N(0, 1)) = log(1/σ) + (σ² + μ²)/2 − ½, the two-Gaussian closed form with σ₂ = 1.
        var expected = RowTotals(3, 18, (i, j) =>
        {
            double sigma = Math.Sqrt(Math.Exp(logVar[i, j]));
            return Math.Log(1 / sigma) + (((sigma * sigma) + (mean[i, j] * mean[i, j])) / 2) - 0.5;
        });
        Expect.Close(expected, kl.Value.Span);
        GradCheck.Check(v => Ops.KlDiagonalGaussian(v[0], v[1]), [mean, logVar]);
    }

    [Fact]
    public void KlIsZeroForTheStandardNormal()
    {
        var tape = new Tape();
        var zeros = tape.Input(Tensor.Zeros(2, 3));
        // Zero to within the rounding of e⁰ (the 128-bit exponential is not exactly 1 there).
        Assert.All(Ops.KlDiagonalGaussian(zeros, zeros).Value.ToArray(), v => Assert.InRange(v, -1e-6f, 1e-6f));
    }

    [Fact]
    public void MeanSquaredErrorMatchesMeanAndGradients()
    {
        var rng = new Rng(67);
        var prediction = GradCheck.Random(rng, -1, 1, 3, 17);
        var target = GradCheck.Random(rng, -1, 1, 3, 17);
        var tape = new Tape();
        var mse = Ops.MeanSquaredError(tape.Input(prediction), tape.Input(target));
        Expect.Close([Enumerable.Range(0, 51).Average(i => Math.Pow(prediction[i] - target[i], 2))], mse.Value.Span);
        GradCheck.Check(v => Ops.MeanSquaredError(v[0], v[1]), [prediction, target]);
    }
}

// The softmax cross-entropy of the classifier (fine-tuning): values against the closed form, gradients against finite differences.
public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void MatchesNegativeLogSoftmaxOfTheLabel()
    {
        var rng = new Rng(70);
        var logits = GradCheck.Random(rng, -5, 5, 4, 7);
        var targets = Tensor.Zeros(4, 7);
        int[] labels = [3, 0, 6, 3];
        for (int i = 0; i < 4; i++)
        {
            targets[i, labels[i]] = 1f;
        }

        var tape = new Tape();
        var loss = Ops.SoftmaxCrossEntropy(tape.Input(logits), tape.Input(targets));
        Expect.Shape(loss.Value, 4);
        var expected = Enumerable.Range(0, 4).Select(i =>
        {
            double lse = Math.Log(Enumerable.Range(0, 7).Sum(j => Math.Exp(logits[i, j])));
            return lse - logits[i, labels[i]];
        }).ToArray();
        Expect.Close(expected, loss.Value.Span);
    }

    [Fact]
    public void GradientsForOneHotAndSoftTargets()
    {
        var rng = new Rng(71);
        var logits = GradCheck.Random(rng, -3, 3, 3, 5);
        var oneHot = Tensor.Zeros(3, 5);
        oneHot[0, 1] = oneHot[1, 4] = oneHot[2, 0] = 1f;
        GradCheck.Check(v => Ops.SoftmaxCrossEntropy(v[0], v[1]), [logits, oneHot], differentiable: [true, false]);

        // Soft targets (rows not summing to one): both slots' gradients.
        var soft = GradCheck.Random(rng, 0, 1, 3, 5);
        GradCheck.Check(v => Ops.SoftmaxCrossEntropy(v[0], v[1]), [logits, soft]);
    }

    [Fact]
    public void IsStableForLargeLogits()
    {
        var logits = Tensor.FromArray([1000f, -1000f, 0f], 1, 3);
        var targets = Tensor.FromArray([0f, 1f, 0f], 1, 3);
        var tape = new Tape();
        var l = tape.Input(logits, requiresGrad: true);
        var loss = Ops.SoftmaxCrossEntropy(l, tape.Input(targets));

        // −log softmax = 1000 − (−1000) = 2000 exactly; the gradient is softmax − one-hot = (1, −1, 0).
        Assert.Equal(2000.0, loss.Value[0], 1e-2);
        tape.Backward(loss.Sum());
        Assert.Equal([1f, -1f, 0f], l.Grad!.ToArray());
    }

    [Fact]
    public void RejectsMismatchedTargets()
    {
        var tape = new Tape();
        var error = Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(tape.Input(Tensor.Zeros(2, 3)), tape.Input(Tensor.Zeros(2, 4))));
        Assert.Contains(nameof(Ops.SoftmaxCrossEntropy), error.Message, StringComparison.Ordinal);
    }
}
