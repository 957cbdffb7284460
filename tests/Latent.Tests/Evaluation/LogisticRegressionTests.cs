using Latent.Evaluation;
using Latent.Tensors;

namespace Latent.Tests.Evaluation;

public sealed class LogisticRegressionTests
{
    [Fact]
    public void SeparableClassesAreLearnedExactly()
    {
        // Three well-separated blobs in 4-D (centres 10 apart, unit noise): linearly separable.
        (var trainX, var trainY) = Blobs(300, 1);
        (var testX, var testY) = Blobs(300, 2);
        var probe = LogisticRegression.Fit(trainX, trainY, 4);
        Assert.Equal(3, probe.Classes);
        Assert.Equal(1.0, probe.Accuracy(trainX, trainY));
        Assert.Equal(1.0, probe.Accuracy(testX, testY));
    }

    [Fact]
    public void ConstantFeaturesGiveTheMajorityClass()
    {
        var x = new float[10 * 2];
        int[] y = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
        var probe = LogisticRegression.Fit(x, y, 2);
        Assert.Equal(0.7, probe.Accuracy(x, y), 12);
    }

    [Fact]
    public void FeaturesMustMatchLabels()
    {
        var error = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(new float[7], [0, 1], 4));
        Assert.Contains("2 labels", error.Message, StringComparison.Ordinal);
    }

    private static (float[] X, int[] Y) Blobs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[count * 4];
        var y = new int[count];
        rng.FillNormal(x);
        for (int i = 0; i < count; i++)
        {
            y[i] = i % 3;
            x[(i * 4) + y[i]] += 10;
        }

        return (x, y);
    }
}
