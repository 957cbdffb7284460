using Latent.Optim;

namespace Latent.Tests.Optim;

public class LearningRateScheduleTests
{
    [Fact]
    public void StepDecayMultipliesByGammaEveryStepSize()
    {
        var schedule = new StepDecay(stepSize: 3, gamma: 0.5f);
        float[] expected = [0.8f, 0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.2f];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.Rate(0.8f, t), 6);
        }

        Assert.Equal(0.8 * Math.Pow(0.5, 33), schedule.Rate(0.8f, 100), 1e-15);
    }

    [Fact]
    public void CosineFollowsTheClosedFormAndStaysAtTheMinimum()
    {
        var schedule = new Cosine(total: 10, minRate: 0.01f);
        for (int t = 0; t <= 10; t++)
        {
            double expected = 0.01 + (0.5 * (0.1 - 0.01) * (1 + Math.Cos(Math.PI * t / 10)));
            Assert.Equal(expected, schedule.Rate(0.1f, t), 1e-7);
        }

        Assert.Equal(0.1f, schedule.Rate(0.1f, 0));
        Assert.Equal(0.055, schedule.Rate(0.1f, 5), 1e-7);
        Assert.Equal(0.01f, schedule.Rate(0.1f, 10));
        Assert.Equal(0.01f, schedule.Rate(0.1f, 25));
    }

    [Fact]
    public void LinearWarmupRampsThenHandsOver()
    {
        var schedule = new LinearWarmup(4, new StepDecay(2, 0.1f));
        float[] expected = [0.25f, 0.5f, 0.75f, 1f, 1f, 1f, 0.1f, 0.1f, 0.01f];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.Rate(1f, t), 6);
        }

        var constant = new LinearWarmup(2);
        Assert.Equal(0.15f, constant.Rate(0.3f, 0), 6);
        Assert.Equal(0.3f, constant.Rate(0.3f, 1), 6);
        Assert.Equal(0.3f, constant.Rate(0.3f, 1000), 6);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosine(10, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosine(10).Rate(1f, -1));
    }
}
