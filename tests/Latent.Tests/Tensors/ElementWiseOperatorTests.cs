using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

/// <summary>Every element-wise operator of Tensors/Kernels, at every length 0..256, against its formula in double.</summary>
[Trait("Category", "Kernels")]
public class ElementWiseOperatorTests
{
    private const int MaxLength = 256;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Softplus(double x) => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));

    // log(1 + u) by its series where 1 + u would round away u.
    internal static double Log1p(double u) => u < 1e-4 ? u - (u * u / 2) + (u * u * u / 3) : Math.Log(1 + u);

    private static float[] Draw(Rng rng, int length, float low, float high)
    {
        var values = new float[length];
        rng.FillUniform(values, low, high);
        return values;
    }

    /// <summary>Runs the operator over each length and checks each element and that nothing past the end is written.</summary>
    private static void ForEveryLength(Func<Rng, int, float[][]> inputs, Action<float[][], Span<float>> map, Func<float[][], int, double> reference, double tolerance)
    {
        var rng = new Rng(100);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = inputs(rng, n);
            var destination = new float[n + 1];
            destination[n] = float.NaN;
            map(x, destination.AsSpan(0, n));
            Assert.True(float.IsNaN(destination[n]), $"Length {n}: wrote past the end.");
            for (int i = 0; i < n; i++)
            {
                double expected = reference(x, i);
                Assert.True(
                    Math.Abs(destination[i] - expected) <= tolerance * (1 + Math.Abs(expected)),
                    $"Length {n}, element {i}: expected {expected}, got {destination[i]}.");
            }
        }
    }

    private static void Unary<TOp>(TOp op, Func<double, double> reference, float low, float high, double tolerance = 2e-6)
        where TOp : struct, IUnaryOperator =>
        ForEveryLength((rng, n) => [Draw(rng, n, low, high)], (x, d) => ElementWise.Map(op, x[0], d), (x, i) => reference(x[0][i]), tolerance);

    private static void Binary<TOp>(TOp op, Func<double, double, double> reference, (float Low, float High) first, (float Low, float High) second, double tolerance = 2e-6)
        where TOp : struct, IBinaryOperator =>
        ForEveryLength(
            (rng, n) => [Draw(rng, n, first.Low, first.High), Draw(rng, n, second.Low, second.High)],
            (x, d) => ElementWise.Map(op, x[0], x[1], d),
            (x, i) => reference(x[0][i], x[1][i]),
            tolerance);

    private static void Ternary<TOp>(TOp op, Func<double, double, double, double> reference, (float Low, float High) first, (float Low, float High) second, (float Low, float High) third, double tolerance = 2e-6)
        where TOp : struct, ITernaryOperator =>
        ForEveryLength(
            (rng, n) => [Draw(rng, n, first.Low, first.High), Draw(rng, n, second.Low, second.High), Draw(rng, n, third.Low, third.High)],
            (x, d) => ElementWise.Map(op, x[0], x[1], x[2], d),
            (x, i) => reference(x[0][i], x[1][i], x[2][i]),
            tolerance);

    [Fact]
    public void Softplus_() => Unary(default(SoftplusOperator), Softplus, -30f, 30f);

    [Fact]
    public void SoftplusIsRelativelyAccurateFarBelowZero()
    {
        // Here softplus(x) ≈ eˣ is tiny; the test tolerance is relative to it, not to 1.
        var rng = new Rng(101);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Draw(rng, n, -60f, -10f);
            var y = new float[n];
            ElementWise.Map(default(SoftplusOperator), x, y);
            for (int i = 0; i < n; i++)
            {
                double expected = Softplus(x[i]);
                Assert.True(Math.Abs(y[i] - expected) <= 1e-5 * expected, $"softplus({x[i]}) = {y[i]}, expected {expected}.");
            }
        }
    }

    [Fact]
    public void SoftplusGrad() => Binary(default(SoftplusGradOperator), (x, g) => g * Sigmoid(x), (-30f, 30f), (-2f, 2f));

    [Fact]
    public void ScaledShiftedExp() => Unary(new ScaledShiftedExpOperator(1.5f, -0.75f), x => -0.75 * Math.Exp(x - 1.5), -20f, 3f);

    [Fact]
    public void SquaredDifference() => Binary(default(SquaredDifferenceOperator), (x, y) => (x - y) * (x - y), (-3f, 3f), (-3f, 3f));

    [Fact]
    public void ScaledDifference() => Binary(new ScaledDifferenceOperator(-2.5f), (x, y) => -2.5 * (x - y), (-3f, 3f), (-3f, 3f));

    [Fact]
    public void AbsGrad() => Binary(default(AbsGradOperator), (x, g) => Math.Sign(x) * g, (-1f, 1f), (-2f, 2f), 0);

    [Fact]
    public void AbsGradIsZeroAtZero()
    {
        var y = new float[40];
        ElementWise.Map(default(AbsGradOperator), new float[40], Enumerable.Repeat(3f, 40).ToArray(), y);
        Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SquareGrad() => Binary(default(SquareGradOperator), (x, g) => 2 * x * g, (-3f, 3f), (-2f, 2f));

    [Fact]
    public void SqrtGrad() => Binary(default(SqrtGradOperator), (y, g) => g / (2 * y), (0.1f, 3f), (-2f, 2f));

    [Fact]
    public void QuotientDenominatorGrad() =>
        Ternary(default(QuotientDenominatorGradOperator), (g, y, b) => -g * y / b, (-2f, 2f), (-2f, 2f), (0.5f, 2f));

    [Fact]
    public void Threshold() => Unary(new ThresholdOperator(0.25f), x => (float)x > 0.25f ? 1 : 0, -1f, 1f, 0);

    [Fact]
    public void PositiveMask() => Binary(default(PositiveMaskOperator), (x, g) => x > 0 ? g : 0, (-1f, 1f), (-2f, 2f), 0);

    [Fact]
    public void BceWithLogits() =>
        Binary(default(BceWithLogitsOperator), (l, t) => Math.Max(l, 0) - (l * t) + Log1p(Math.Exp(-Math.Abs(l))), (-50f, 50f), (0f, 1f));

    [Fact]
    public void BceWithLogitsGrad() => Binary(new BceWithLogitsGradOperator(0.5f), (l, t) => 0.5 * (Sigmoid(l) - t), (-50f, 50f), (0f, 1f));

    [Fact]
    public void GaussianNll() =>
        Ternary(default(GaussianNllOperator), (x, m, lv) => lv + ((x - m) * (x - m) * Math.Exp(-lv)), (-3f, 3f), (-3f, 3f), (-4f, 4f), 5e-6);

    [Fact]
    public void GaussianNllResidualGrad() =>
        Ternary(new GaussianNllResidualGradOperator(-1.5f), (x, m, lv) => -1.5 * (x - m) * Math.Exp(-lv), (-3f, 3f), (-3f, 3f), (-4f, 4f), 5e-6);

    [Fact]
    public void GaussianNllLogVarGrad() =>
        Ternary(new GaussianNllLogVarGradOperator(2f), (x, m, lv) => 2 * 0.5 * (1 - ((x - m) * (x - m) * Math.Exp(-lv))), (-3f, 3f), (-3f, 3f), (-4f, 4f), 5e-6);

    [Fact]
    public void KlDiagonalGaussian() =>
        Binary(default(KlDiagonalGaussianOperator), (m, lv) => 0.5 * ((m * m) + Math.Exp(lv) - 1 - lv), (-3f, 3f), (-5f, 5f));

    [Fact]
    public void KlLogVarGrad() => Unary(new KlLogVarGradOperator(3f), lv => 3 * 0.5 * (Math.Exp(lv) - 1), -5f, 5f);

    [Fact]
    public void Reparameterize() =>
        Ternary(default(ReparameterizeOperator), (m, lv, e) => m + (Math.Exp(0.5 * lv) * e), (-3f, 3f), (-5f, 5f), (-3f, 3f));

    [Fact]
    public void ReparameterizeLogVarGrad() =>
        Ternary(default(ReparameterizeLogVarGradOperator), (lv, e, g) => 0.5 * g * Math.Exp(0.5 * lv) * e, (-5f, 5f), (-3f, 3f), (-2f, 2f));
}
