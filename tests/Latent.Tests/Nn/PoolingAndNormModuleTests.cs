using Latent.Autodiff;
using Latent.Nn;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Tests.Autodiff;

namespace Latent.Tests.Nn;

public class PoolingAndNormModuleTests
{
    [Fact]
    public void BatchNormHasPyTorchsParametersAndBuffersInOrder()
    {
        var norm = new BatchNorm2d(4);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], norm.StateDict().Keys);
        Assert.Equal(["weight", "bias"], norm.Parameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], norm.Buffers().Select(b => b.Name));
        Assert.Equal([1f, 1f, 1f, 1f], norm.Weight.Value.ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], norm.Bias.Value.ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], norm.RunningMean.ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], norm.RunningVar.ToArray());
        Expect.Shape(norm.NumBatchesTracked, 1);
        Assert.Equal(0f, norm.NumBatchesTracked[0]);
        Assert.Equal(1e-5f, norm.Eps);
        Assert.Equal(0.1f, norm.Momentum);

        var one = new BatchNorm1d(3, 1e-3f, 0.2f);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], one.StateDict().Keys);
        Assert.Equal(1e-3f, one.Eps);
        Assert.Equal(0.2f, one.Momentum);

        // In a Sequential the names are dotted as PyTorch's.
        var net = new Sequential(new Unflatten(new ImageShape(4, 2, 2)), new BatchNorm2d(4), new Flatten(), new BatchNorm1d(16));
        Assert.Equal(
            ["1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias", "3.running_mean", "3.running_var", "3.num_batches_tracked"],
            net.StateDict().Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunningStatisticsFollowPyTorchsRecurrence(bool images)
    {
        const float Momentum = 0.25f;
        BatchNormBase norm = images ? new BatchNorm2d(3, momentum: Momentum) : new BatchNorm1d(3, momentum: Momentum);
        var rng = new Rng(31);
        double[] mean = [0, 0, 0], variance = [1, 1, 1];
        using var tape = new Tape();
        for (int step = 0; step < 4; step++)
        {
            var batch = images ? GradCheck.Random(rng, -1, 3, 5, 3, 2, 3) : GradCheck.Random(rng, -1, 3, 6, 3);
            norm.Forward(tape.Input(batch));
            tape.Reset();
            int plane = batch.Columns / 3, count = batch.Rows * plane;
            for (int c = 0; c < 3; c++)
            {
                var values = Enumerable.Range(0, batch.Rows).SelectMany(n => Enumerable.Range(0, plane).Select(p => (double)batch[(((n * 3) + c) * plane) + p])).ToArray();
                double mu = values.Average();
                double unbiased = values.Sum(v => (v - mu) * (v - mu)) / (count - 1);
                mean[c] = ((1 - Momentum) * mean[c]) + (Momentum * mu);
                variance[c] = ((1 - Momentum) * variance[c]) + (Momentum * unbiased);
            }
        }

        Expect.Close(mean, norm.RunningMean.Span, 1e-5);
        Expect.Close(variance, norm.RunningVar.Span, 1e-5);
        Assert.Equal(4f, norm.NumBatchesTracked[0]);
    }

    [Fact]
    public void EvaluationUsesTheRunningStatisticsAndTrainingTheBatches()
    {
        var norm = new BatchNorm2d(2);
        norm.Weight.Value.CopyFrom(Tensor.FromArray([2f, 0.5f], 2));
        norm.Bias.Value.CopyFrom(Tensor.FromArray([1f, -1f], 2));
        norm.RunningMean.CopyFrom(Tensor.FromArray([0.5f, -2f], 2));
        norm.RunningVar.CopyFrom(Tensor.FromArray([4f, 0.25f], 2));
        var batch = GradCheck.Random(new Rng(32), -1, 1, 3, 2, 2, 2);
        using var tape = new Tape();

        norm.Eval();
        var eval = norm.Forward(tape.Input(batch)).Value.ToArray();
        var expected = new double[batch.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            int c = i / 4 % 2;
            double m = c == 0 ? 0.5 : -2, v = c == 0 ? 4 : 0.25, g = c == 0 ? 2 : 0.5, b = c == 0 ? 1 : -1;
            expected[i] = ((batch[i] - m) / Math.Sqrt(v + 1e-5) * g) + b;
        }

        Expect.Close(expected, eval, 1e-6);
        Assert.Equal([0.5f, -2f], norm.RunningMean.ToArray());
        Assert.Equal([4f, 0.25f], norm.RunningVar.ToArray());
        Assert.Equal(0f, norm.NumBatchesTracked[0]);

        // Training normalises by the batch: each channel's output has mean β and (biased) standard deviation ≈ γ.
        norm.Train();
        var train = norm.Forward(tape.Input(batch)).Value.ToArray();
        Assert.NotEqual(eval, train);
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, batch.Length).Where(i => i / 4 % 2 == c).Select(i => (double)train[i]).ToArray();
            double mu = values.Average(), sd = Math.Sqrt(values.Average(v => (v - mu) * (v - mu)));
            Assert.Equal(c == 0 ? 1 : -1, mu, 1e-5);
            Assert.Equal(c == 0 ? 2 : 0.5, sd, 1e-3);
        }

        Assert.Equal(1f, norm.NumBatchesTracked[0]);
        Assert.NotEqual([0.5f, -2f], norm.RunningMean.ToArray());
    }

    [Fact]
    public void BatchNormBuffersRoundTripThroughASafeTensorsFile()
    {
        var source = new Sequential(new BatchNorm2d(3), new MaxPool2d(2));
        var rng = new Rng(33);
        using var tape = new Tape();
        for (int step = 0; step < 3; step++)
        {
            source.Forward(tape.Input(GradCheck.Random(rng, -2, 4, 4, 3, 4, 4)));
            tape.Reset();
        }

        ((BatchNorm2d)source[0]).Weight.Value.CopyFrom(Tensor.FromArray([0.5f, 1.5f, -1f], 3));
        var target = new Sequential(new BatchNorm2d(3), new MaxPool2d(2));
        using var folder = new TempFolder();
        string path = folder.File("bn.safetensors");
        SafeTensors.Write(path, source.StateDict());
        var file = SafeTensors.Read(path);
        target.LoadStateDict(file.Tensors);
        foreach ((string name, Tensor value) in source.StateDict())
        {
            Assert.Equal(value.Shape, target.StateDict()[name].Shape);
            Assert.Equal(value.ToArray(), target.StateDict()[name].ToArray());
        }

        Assert.Equal(3f, ((BatchNorm2d)target[0]).NumBatchesTracked[0]);
        source.Eval();
        target.Eval();
        var probe = GradCheck.Random(rng, -2, 4, 2, 3, 4, 4);
        Assert.Equal(source.Forward(tape.Input(probe)).Value.ToArray(), target.Forward(tape.Input(probe)).Value.ToArray());
    }

    [Fact]
    public void OutputShapesFollowTheLayers()
    {
        var image = new ImageShape(3, 28, 28);
        Assert.Equal(new ImageShape(3, 14, 14), new MaxPool2d(2).OutputShape(image));
        Assert.Equal(new ImageShape(3, 13, 13), new MaxPool2d(3, 2).OutputShape(image));
        Assert.Equal(new ImageShape(3, 14, 14), new MaxPool2d(ConvSettings.Square(3, 2, 1)).OutputShape(image));
        Assert.Equal(ConvSettings.Square(2, 2), new MaxPool2d(2).Window);
        Assert.Equal(new ImageShape(3, 56, 56), new Upsample(2).OutputShape(image));
        Assert.Equal(2352, Flatten.OutputFeatures(image));
        Assert.Equal(image, new Unflatten(image).OutputShape(2352));
        Assert.Equal(image, new BatchNorm2d(3).OutputShape(image));
        Assert.Equal(20, new BatchNorm1d(20).OutputFeatures(20));

        var error = Assert.Throws<ArgumentException>(() => new MaxPool2d(2).OutputShape(new ImageShape(3, 1, 1)));
        Assert.StartsWith("MaxPool2d: a 2×2 window with stride 2 does not fit a 1×1 image", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new Unflatten(image).OutputShape(784));
        Assert.Contains("784 features", error.Message, StringComparison.Ordinal);
        Assert.Contains("3×28×28", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new BatchNorm2d(4).OutputShape(image));
        Assert.Contains("BatchNorm2d: the layer normalises 4 channels; the input image is 3×28×28", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(4).OutputFeatures(5));
        Assert.Contains("BatchNorm1d", error.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(2, 0));
        Assert.Throws<ArgumentException>(() => new MaxPool2d(ConvSettings.Square(2, 2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Upsample(0));
        Assert.Throws<ArgumentException>(() => new Unflatten(default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(3, eps: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(3, momentum: 2f));
    }

    [Fact]
    public void BatchNormLayersRejectInputsOfTheWrongShape()
    {
        using var tape = new Tape();
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(tape.Input(Tensor.Zeros(4, 3))));
        Assert.Contains("BatchNorm2d: the layer normalises 3 channels and takes images [N, 3, H, W]; the input is [4, 3]", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(tape.Input(Tensor.Zeros(4, 5))));
        Assert.Contains("the input is [4, 5]", error.Message, StringComparison.Ordinal);
        var norm = new BatchNorm1d(3);
        Assert.Throws<ArgumentException>(() => norm.Forward(tape.Input(Tensor.Zeros(1, 3))));
        Assert.Equal(0f, norm.NumBatchesTracked[0]);
    }

    [Fact]
    public void AConvolutionStyleStackTrainsEndToEnd()
    {
        // Unflatten → BatchNorm2d → MaxPool2d → Upsample → Flatten → BatchNorm1d in training mode: shapes, a gradient
        // for every parameter, and the input's gradient against finite differences.
        var rng = new Rng(34);
        var data = GradCheck.Random(rng, -1, 1, 4, 2 * 4 * 6);
        var net = new Sequential(new Unflatten(new ImageShape(2, 4, 6)), new BatchNorm2d(2), new MaxPool2d(2), new Upsample(2), new Flatten(), new BatchNorm1d(48));
        ((BatchNorm2d)net[1]).Weight.Value.CopyFrom(Tensor.FromArray([1.5f, 0.75f], 2));
        using var tape = new Tape();
        var x = tape.Input(data, requiresGrad: true);
        var y = net.Forward(x);
        Expect.Shape(y.Value, 4, 48);
        var target = GradCheck.Random(rng, -1, 1, 4, 48);
        tape.Backward(Ops.MeanSquaredError(y, tape.Input(target)));
        Assert.True(x.HasGrad);
        foreach ((string name, Var parameter) in net.Parameters())
        {
            Assert.True(parameter.HasGrad, name);
        }

        tape.Reset();
        GradCheck.Check(v => net.Forward(v[0]), [data], epsilon: 1e-3f, tolerance: 1e-2);

        Assert.Contains("MaxPool2d(2×2 kernel, stride 2, padding 0)", net.ToString(), StringComparison.Ordinal);
        Assert.Contains("BatchNorm1d(48, eps=1E-05, momentum=0.1)", net.ToString(), StringComparison.Ordinal);
    }
}
