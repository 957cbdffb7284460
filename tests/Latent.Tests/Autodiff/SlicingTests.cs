using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class SlicingTests
{
    [Fact]
    public void ConcatColumnsPlacesBothSidesByRow()
    {
        var rng = new Rng(30);
        var a = GradCheck.Random(rng, -1, 1, 3, 2);
        var b = GradCheck.Random(rng, -1, 1, 3, 4);
        var tape = new Tape();
        var y = Ops.ConcatColumns(tape.Input(a), tape.Input(b));
        Expect.Shape(y.Value, 3, 6);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(j < 2 ? a[i, j] : b[i, j - 2], y.Value[i, j]);
            }
        }

        GradCheck.Check(v => Ops.ConcatColumns(v[0], v[1]), [a, b]);
        GradCheck.Check(v => Ops.ConcatColumns(v[0], v[0]), [a]);
    }

    [Fact]
    public void ColumnsSliceAndGradientScatter()
    {
        var x = GradCheck.Random(new Rng(31), -1, 1, 3, 6);
        var tape = new Tape();
        var y = tape.Input(x).Columns(2, 3);
        Expect.Shape(y.Value, 3, 3);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(x[i, j + 2], y.Value[i, j]);
            }
        }

        GradCheck.Check(v => v[0].Columns(2, 3), [x]);
    }

    [Fact]
    public void SplitColumnsPartsRejoin()
    {
        var x = GradCheck.Random(new Rng(32), -1, 1, 3, 5);
        var tape = new Tape();
        var (left, right) = tape.Input(x).SplitColumns(2);
        Expect.Shape(left.Value, 3, 2);
        Expect.Shape(right.Value, 3, 3);
        Assert.Equal(x.ToArray(), Ops.ConcatColumns(left, right).Value.ToArray());

        // Both halves feed the loss, so the gradient of x gathers from both slices.
        GradCheck.Check(v => { var (l, r) = v[0].SplitColumns(2); return Ops.ConcatColumns(r.Square(), l); }, [x]);
    }

    [Fact]
    public void RowSliceKeepsTrailingDimensionsAndScattersGradient()
    {
        var x = GradCheck.Random(new Rng(33), -1, 1, 5, 2, 3);
        var tape = new Tape();
        var y = tape.Input(x).RowSlice(1, 3);
        Expect.Shape(y.Value, 3, 2, 3);
        Assert.Equal(x.ToArray().Skip(6).Take(18).ToArray(), y.Value.ToArray());
        GradCheck.Check(v => v[0].RowSlice(1, 3), [x]);
        GradCheck.Check(v => Ops.Add(v[0].RowSlice(0, 2), v[0].RowSlice(3, 2)), [x]);
    }

    [Fact]
    public void OutOfRangeSlicesAreClearErrors()
    {
        var tape = new Tape();
        var x = tape.Input(Tensor.Zeros(4, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Columns(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.RowSlice(2, 3));
        Assert.Throws<ArgumentException>(() => Ops.ConcatColumns(x, tape.Input(Tensor.Zeros(3, 5))));
    }
}
