using Latent.Autodiff;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

public class GradientClippingTests
{
    [Fact]
    public void ScalesEveryGradientByTheSameFactorWhenTheNormIsTooLarge()
    {
        var a = WithGradient([3f, 4f]);
        var b = WithGradient([12f]);
        var skipped = Var.Parameter(Tensor.FromArray([100f], 1));
        float norm = GradientClipping.ClipByGlobalNorm([a, skipped, b], 6.5f);
        Assert.Equal(13f, norm);
        float coefficient = 6.5f / (13f + 1e-6f);
        Assert.Equal([3f * coefficient, 4f * coefficient], a.Grad!.ToArray());
        Assert.Equal([12f * coefficient], b.Grad!.ToArray());
        Assert.False(skipped.HasGrad);
        Assert.Equal(6.5, Math.Sqrt(a.Grad.ToArray().Concat(b.Grad.ToArray()).Sum(g => (double)g * g)), 1e-5);
    }

    [Fact]
    public void LeavesGradientsAloneWhenTheNormIsSmallEnough()
    {
        var a = WithGradient([0.3f, -0.4f]);
        float norm = GradientClipping.ClipByGlobalNorm([a], 1f);
        Assert.Equal(0.5f, norm, 6);
        Assert.Equal([0.3f, -0.4f], a.Grad!.ToArray());
    }

    [Fact]
    public void NormOfALongGradientMatchesANaiveSum()
    {
        var rng = new Rng(5);
        var values = new float[10_001];
        rng.FillNormal(values);
        var a = WithGradient(values);
        double expected = Math.Sqrt(values.Sum(v => (double)v * v));
        float norm = GradientClipping.ClipByGlobalNorm([a], 1f);
        Assert.Equal(expected, norm, expected * 1e-6);
        Assert.Equal(1.0, Math.Sqrt(a.Grad!.ToArray().Sum(v => (double)v * v)), 1e-5);
    }

    [Fact]
    public void NegativeMaxNormIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([WithGradient([1f])], -1f));
    }

    private static Var WithGradient(float[] gradient)
    {
        var parameter = Var.Parameter(Tensor.Zeros(gradient.Length));
        parameter.Grad = Tensor.FromArray((float[])gradient.Clone(), gradient.Length);
        parameter.HasGrad = true;
        return parameter;
    }
}
