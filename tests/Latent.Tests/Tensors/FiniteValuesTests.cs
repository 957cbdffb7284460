using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class FiniteValuesTests
{
    [Fact]
    public void FindsTheFirstNonFiniteValueAtEveryPositionOfEveryLength()
    {
        foreach (int length in new[] { 0, 1, 7, 64, 255, 4095, 4096, 4097, 9000 })
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (i % 13) - 6.5f;
            }

            Assert.Null(FiniteValues.FirstNonFinite(values));
            foreach (int at in new[] { 0, length / 3, length - 1 }.Where(i => i >= 0 && i < length).Distinct())
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float kept = values[at];
                    values[at] = bad;
                    Assert.Equal(at, FiniteValues.FirstNonFinite(values));
                    values[at] = kept;
                }
            }
        }
    }

    [Fact]
    public void AnOverflowingSumOfFiniteValuesPasses()
    {
        var values = Enumerable.Repeat(float.MaxValue, 100).ToArray();
        Assert.Null(FiniteValues.FirstNonFinite(values));
    }

    [Fact]
    public void TheErrorNamesTheValueItsRowAndItsColumn()
    {
        var tensor = Tensor.Zeros(3, 4);
        tensor.Span[(2 * 4) + 1] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => FiniteValues.Check(tensor, "Data 'x.npy'"));
        Assert.Equal("Data 'x.npy' holds NaN at row 2, column 1; every value must be finite.", error.Message);
    }
}
