using Latent.Visuals;

namespace Latent.Tests.Visuals;

public class AxisTicksTests
{
    [Theory]
    [InlineData(-0.16, 31.16, new[] { "0", "10", "20", "30" })]
    [InlineData(149.5, 243.0, new[] { "150", "175", "200", "225" })]
    [InlineData(5.062, 6.535, new[] { "5.5", "6.0", "6.5" })]
    [InlineData(-1209, 2470, new[] { "-1000", "0", "1000", "2000" })]
    [InlineData(0, 1, new[] { "0.00", "0.25", "0.50", "0.75", "1.00" })]
    [InlineData(-0.5, 0.5, new[] { "-0.50", "-0.25", "0.00", "0.25", "0.50" })]
    [InlineData(1.9e6, 1.95e6, new[] { "1.9E+6", "1.92E+6", "1.94E+6" })]
    public void TicksAreRoundValuesInsideTheRange(double min, double max, string[] expected)
    {
        var ticks = new AxisTicks(min, max);
        var labels = Enumerable.Range(0, ticks.Count).Select(i => ticks.Label(ticks[i])).ToArray();
        Assert.Equal(expected, labels);
        Assert.All(Enumerable.Range(0, ticks.Count), i => Assert.InRange(ticks[i], min, max));
    }

    [Theory]
    [InlineData(0.7, 1.0)]
    [InlineData(1.5, 2.0)]
    [InlineData(2.2, 2.5)]
    [InlineData(3.0, 5.0)]
    [InlineData(7.0, 10.0)]
    [InlineData(0.031, 0.05)]
    public void NiceStepIsTheSmallestRoundStepAtLeastTheRoughOne(double rough, double expected)
    {
        Assert.Equal(expected, AxisTicks.NiceStep(rough), 12);
    }

    [Fact]
    public void AnEmptyRangeGivesOneTick()
    {
        var ticks = new AxisTicks(3, 3);
        Assert.Equal(1, ticks.Count);
        Assert.Equal("3", ticks.Label(ticks[0]));
    }
}
