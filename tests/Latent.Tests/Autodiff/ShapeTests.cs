using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class ShapeTests
{
    [Fact]
    public void ReshapeIsAViewOfTheInputsStorage()
    {
        var tape = new Tape();
        var x = Ops.Tanh(tape.Input(GradCheck.Random(new Rng(1), -1, 1, 6, 4)));
        var y = x.Reshape(2, -1, 4);
        Expect.Shape(y.Value, 2, 3, 4);
        Assert.Same(x.Value.Buffer, y.Value.Buffer);
        Assert.Equal(x.Value.ToArray(), y.Value.ToArray());
        Assert.False(y.OwnsValue);
        Assert.True(y.Value.IsView);
    }

    [Fact]
    public void ReshapeGradientMatchesFiniteDifferences()
    {
        // Reshape → element-wise op in the new shape → reshape back → linear: every slot checked.
        var rng = new Rng(2);
        GradCheck.Check(
            v => Ops.Linear(Ops.Tanh(v[0].Reshape(3, 2, -1)).Reshape(6, 4), v[1], v[2]),
            [GradCheck.Random(rng, -1, 1, 4, 6), GradCheck.Random(rng, -1, 1, 5, 4), GradCheck.Random(rng, -1, 1, 5)]);
    }

    [Fact]
    public void ReshapeGradientEqualsTheUnreshapedComputation()
    {
        // Linear on x seen as [6, 4] through Reshape, against Linear on the same numbers given as [6, 4]:
        // the same values, the same gradients (bitwise), ∂x in x's own shape [4, 6].
        var rng = new Rng(3);
        var data = GradCheck.Random(rng, -1, 1, 4, 6);
        var weight = Var.Parameter(GradCheck.Random(rng, -1, 1, 5, 4));
        var tape = new Tape();

        var x = tape.Input(data, requiresGrad: true);
        var reshaped = Ops.Linear(x.Reshape(6, 4), weight, activation: Activation.Tanh).Square().Sum();
        tape.Backward(reshaped);
        Expect.Shape(x.Grad!, 4, 6);
        float[] gradX = x.Grad!.ToArray(), gradW = weight.Grad!.ToArray();
        float loss = reshaped.Item;
        tape.Reset();
        weight.ZeroGrad();

        var plain = tape.Input(Tensor.FromArray(data.ToArray(), 6, 4), requiresGrad: true);
        var direct = Ops.Linear(plain, weight, activation: Activation.Tanh).Square().Sum();
        tape.Backward(direct);
        Assert.Equal(direct.Item, loss);
        Assert.Equal(plain.Grad!.ToArray(), gradX);
        Assert.Equal(weight.Grad!.ToArray(), gradW);
    }

    [Fact]
    public void AReshapedValueUsedTwiceGetsBothGradients()
    {
        // x feeds a reshape and, directly, a second op: ∂x = both paths, and the reshape's own gradient
        // stays its own (it is then not shared with ∂x).
        var values = Tensor.FromArray([1f, -2f, 0.5f, 3f], 4);
        var tape = new Tape();
        var x = tape.Input(values, requiresGrad: true);
        var y = x.Reshape(2, 2);
        var loss = Ops.Add(y.Scale(3f).Sum(), Ops.Multiply(x, x).Sum());
        tape.Backward(loss);
        Assert.Equal([5f, -1f, 4f, 9f], x.Grad!.ToArray());
        Assert.Equal([3f, 3f, 3f, 3f], y.Grad!.ToArray());
    }

    [Fact]
    public void FlattenAndUnflattenRoundTrip()
    {
        var rng = new Rng(4);
        var images = GradCheck.Random(rng, -1, 1, 3, 2, 2, 3);
        var tape = new Tape();
        var x = tape.Input(images, requiresGrad: true);
        var flat = x.Flatten();
        Expect.Shape(flat.Value, 3, 12);
        var back = flat.Unflatten(new ImageShape(2, 2, 3));
        Expect.Shape(back.Value, 3, 2, 2, 3);
        Assert.Same(images.Buffer, back.Value.Buffer);
        Assert.Equal(images.ToArray(), back.Value.ToArray());

        // The gradient comes back through both views in x's shape.
        tape.Backward(back.Square().Sum());
        Expect.Shape(x.Grad!, 3, 2, 2, 3);
        float[] expected = images.ToArray().Select(v => 2 * v).ToArray();
        Assert.Equal(expected, x.Grad!.ToArray());

        GradCheck.Check(
            v => Ops.Multiply(v[0].Flatten().Tanh().Unflatten(new ImageShape(2, 2, 3)), v[1]),
            [images, GradCheck.Random(rng, -1, 1, 3, 2, 2, 3)]);
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(128, 784));
        var error = Assert.Throws<ArgumentException>(() => x.Reshape(128, 3, 28, 28));
        Assert.Contains("Reshape: [128, 784] has 100352 elements; [128, 3, 28, 28] has 301056", error.Message);

        error = Assert.Throws<ArgumentException>(() => x.Reshape(-1, 3, 28, 28));
        Assert.Contains("[128, 784] has 100352 elements, which [-1, 3, 28, 28] cannot hold", error.Message);

        error = Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
        Assert.Contains("more than one −1", error.Message);

        error = Assert.Throws<ArgumentException>(() => x.Reshape(-2, 100352 / 2));
        Assert.Contains("negative size -2", error.Message);

        error = Assert.Throws<ArgumentException>(() => x.Reshape(1, 1, 1, 128, 784));
        Assert.Contains("rank 5", error.Message);

        error = Assert.Throws<ArgumentException>(() => x.Unflatten(new ImageShape(3, 28, 28)));
        Assert.Contains("[128, 784]", error.Message);
        Assert.Contains("3×28×28", error.Message);
        Assert.Contains("2352", error.Message);

        error = Assert.Throws<ArgumentException>(() => tape.Input(Tensor.Zeros(5)).Flatten());
        Assert.Contains("Flatten: [5]", error.Message);

        // A failed reshape records nothing and leaves no view behind.
        Assert.Equal(2, tape.Count);
        Assert.Equal(0, x.Value.LiveViews);
    }

    [Fact]
    public void ResetReturnsAReshapedStorageOnceAndNeverWhileViewed()
    {
        var tape = new Tape();
        var x = Ops.Tanh(tape.Input(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), requiresGrad: true));
        var y = x.Reshape(3, 2).Reshape(6);
        var storage = x.Value.Buffer;
        var kept = x.Value.View([6]);
        float last = x.Value[5];
        tape.Backward(y.Sum());
        tape.Reset();

        // x's value is still viewed by `kept`: the pool must not hand its storage out.
        using (var other = tape.Pool.Rent(6))
        {
            Assert.NotSame(storage, other.Buffer);
        }

        Assert.Same(storage, kept.Buffer);
        Assert.Equal(last, kept[5]);
        kept.Dispose();

        // Now it is back, once: two rents of that size get two different buffers, one of them x's.
        var first = tape.Pool.Rent(6);
        var second = tape.Pool.Rent(6);
        Assert.NotSame(first.Buffer, second.Buffer);
        Assert.True(ReferenceEquals(first.Buffer, storage) || ReferenceEquals(second.Buffer, storage));
    }

    [Fact]
    public void SideDataGoesBackToThePoolOnReset()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([1f, 5f, 2f, 7f, 3f, 0f], 2, 3), requiresGrad: true);
        var max = RowMax(x, s_settings);
        Assert.Equal([5f, 7f], max.Value.ToArray());
        var indices = max.Indices!;
        Assert.Equal([1, 0], indices);
        Assert.Same(s_settings, max.Settings);
        Assert.Equal(ConvSettings.Square(4, 2, 1), max.Convolution);

        tape.Backward(max.Sum());
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f], x.Grad!.ToArray());
        tape.Reset();
        Assert.Null(max.Indices);
        Assert.Same(indices, tape.Pool.RentIndices(2));

        // Without a backward pass to record, the buffer goes back at once.
        var y = RowMax(tape.Input(Tensor.FromArray([1f, 5f], 1, 2)), s_settings);
        Assert.Null(y.Indices);
        int created = tape.Pool.Created;
        tape.Pool.RentIndices(1);
        Assert.Equal(created, tape.Pool.Created);
    }

    [Fact]
    public void StepsWithViewsAndSideDataAllocateNothingAfterWarmUp()
    {
        using (Parallelism.Limit(1))
        {
            var rng = new Rng(5);
            var weight = Var.Parameter(GradCheck.Random(rng, -0.5f, 0.5f, 8, 12));
            var images = GradCheck.Random(rng, -1, 1, 4, 3, 2, 2);
            var tape = new Tape();

            void Step()
            {
                var x = tape.Input(images, requiresGrad: true);
                var hidden = Ops.Linear(x.Flatten(), weight, activation: Activation.Tanh);
                var pooled = RowMax(hidden.Reshape(-1, 4), s_settings);
                var back = hidden.Unflatten(new ImageShape(2, 2, 2)).Reshape(4, 8);
                var loss = Ops.Add(pooled.Sum(), back.Square().Mean());
                tape.Backward(loss);
                weight.ZeroGrad();
                tape.Reset();
            }

            Step();
            Step();
            int created = tape.Pool.Created;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int step = 0; step < 5; step++)
            {
                Step();
            }

            Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(created, tape.Pool.Created);
        }
    }

    private static readonly object s_settings = new();

    /// <summary>
    /// A test op using the side slots as a pooling op will: the maximum of each row, its argmax kept in a
    /// pooled integer buffer, its window in <see cref="Var.Convolution"/> and a cached settings object.
    /// </summary>
    private static Var RowMax(Var x, object settings)
    {
        var tape = Tape.Of(x);
        var y = tape.Pool.Rent(x.Rows);
        var argmax = tape.Pool.RentIndices(x.Rows);
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Value.Row(i);
            int best = 0;
            for (int j = 1; j < row.Length; j++)
            {
                best = row[j] > row[best] ? j : best;
            }

            argmax[i] = best;
            y[i] = row[best];
        }

        var node = tape.Record(RowMaxBackward.Instance, y, x);
        node.Convolution = ConvSettings.Square(4, 2, 1);
        node.Settings = settings;
        tape.SaveIndices(node, argmax);
        return node;
    }

    private sealed class RowMaxBackward : IBackward
    {
        public static readonly RowMaxBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var dx = tape.GradBuffer(node.A!, out float beta);
            if (dx is null)
            {
                return;
            }

            if (beta == 0f)
            {
                dx.Clear();
            }

            var g = node.Grad!;
            for (int i = 0; i < g.Length; i++)
            {
                dx.Row(i)[node.Indices![i]] += g[i];
            }
        }
    }
}
