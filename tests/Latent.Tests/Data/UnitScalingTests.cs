using Latent.Data;
using Latent.Tensors;

namespace Latent.Tests.Data;

public sealed class UnitScalingTests
{
    private static Dataset Data(float[] values, bool image) =>
        new("test", Tensor.FromArray(values, 2, values.Length / 2), imageShape: image ? new ImageShape(1, 1, values.Length / 2) : null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EightBitDataAreDividedBy255WhateverTheirLargestValue(bool image)
    {
        var data = Data([0, 51, 200, 17], image);
        Assert.Equal((0f, 255f), UnitScaling.Range(data));
        // x · (1/255), as Dataset.ScaleToUnit computes it.
        Assert.Equal([0f, 51f * (1f / 255f), 200f * (1f / 255f), 17f * (1f / 255f)], UnitScaling.Apply(data).Features.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FourBitDataAreDividedBy16(bool image)
    {
        var data = Data([0, 4, 12, 1.5f], image);
        Assert.Equal((0f, 16f), UnitScaling.Range(data));
        Assert.Equal([0f, 0.25f, 0.75f, 1.5f / 16f], UnitScaling.Apply(data).Features.ToArray());

        var digits = UnitScaling.Apply(new DatasetCatalog().Load("digits-8x8"));
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Max(digits.Features.Span));
        Assert.Equal(new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16).Features.ToArray(), digits.Features.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataInTheUnitRangeStayAsTheyAre(bool image)
    {
        var data = Data([0, 0.5f, 1, 0.25f], image);
        Assert.Null(UnitScaling.Range(data));
        Assert.Same(data, UnitScaling.Apply(data));
        var onehot = new DatasetCatalog().Load("onehot8");
        Assert.Same(onehot, UnitScaling.Apply(onehot));
    }

    [Fact]
    public void ImagesBeyondTheNominalRangesAreMappedFromTheirObservedRange()
    {
        var negative = Data([-2, 0, 2, 1], image: true);
        Assert.Equal((-2f, 2f), UnitScaling.Range(negative));
        Assert.Equal([0f, 0.5f, 1f, 0.75f], UnitScaling.Apply(negative).Features.ToArray());

        var sixteenBit = Data([0, 1000, 4000, 2000], image: true);
        Assert.Equal([0f, 0.25f, 1f, 0.5f], UnitScaling.Apply(sixteenBit).Features.ToArray());

        var constant = Data([300, 300, 300, 300], image: true);
        Assert.Equal(new float[4], UnitScaling.Apply(constant).Features.ToArray());
    }

    [Fact]
    public void OtherDataBeyondTheNominalRangesStayAsTheyAre()
    {
        var negative = Data([-2, 0, 2, 1], image: false);
        Assert.Null(UnitScaling.Range(negative));
        Assert.Same(negative, UnitScaling.Apply(negative));

        var large = Data([0, 1000, 4000, 2000], image: false);
        Assert.Same(large, UnitScaling.Apply(large));

        var moons = new DatasetCatalog().Load("moons");
        Assert.Same(moons, UnitScaling.Apply(moons));
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Min(moons.Features.Span) < 0);
    }

    [Fact]
    public void MnistIsDividedBy255AndEmptyDataStay()
    {
        var raw = new DatasetCatalog().Load("mnist-10k");
        var scaled = UnitScaling.Apply(raw);
        Assert.Equal((0f, 255f), UnitScaling.Range(raw));
        Assert.Equal(raw.Features[3, 300] * (1f / 255f), scaled.Features[3, 300]);
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Max(scaled.Features.Span));

        var empty = new Dataset("empty", Tensor.Zeros(0, 3));
        Assert.Same(empty, UnitScaling.Apply(empty));
    }
}
