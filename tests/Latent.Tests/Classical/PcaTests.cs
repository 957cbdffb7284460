using Latent.Classical;
using Latent.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Classical;

[Trait("Category", "Kernels")]
public class PcaTests
{
    // Centred points whose covariance is (1/3)·[[20, 16, 0], [16, 20, 0], [0, 0, 16]]: eigenvalues 12, 16/3 and
    // 4/3 along (1, 1, 0)/√2, (0, 0, 1) and (1, −1, 0)/√2.
    private static readonly float[,] s_hand3 = { { 3, 3, 2 }, { -3, -3, 2 }, { 1, -1, -2 }, { -1, 1, -2 } };

    [Theory]
    [InlineData(PcaSolver.Full)]
    [InlineData(PcaSolver.Randomized)]
    public void HandComputed3D(PcaSolver solver)
    {
        var x = Tensor.FromRows(s_hand3);
        var model = new PcaOptions { Components = 3, Solver = solver }.Fit(x);
        double r = 1 / Math.Sqrt(2);
        Assert.Equal(new[] { 12.0, 16.0 / 3, 4.0 / 3 }, model.ExplainedVariance, (a, b) => Math.Abs(a - b) < 1e-5);
        AssertVector([r, r, 0], model.Component(0), 1e-6);
        AssertVector([0, 0, 1], model.Component(1), 1e-6);
        AssertVector([r, -r, 0], model.Component(2), 1e-6);
        Assert.Equal(56.0 / 3, model.TotalVariance, 1e-9);
        Assert.Equal(12 / (56.0 / 3), model.ExplainedVarianceRatio[0], 1e-6);
        using Tensor codes = model.Transform(x);
        Assert.Equal(3 * Math.Sqrt(2), codes[0, 0], 1e-5);
        Assert.Equal(2, codes[0, 1], 1e-5);
        Assert.Equal(0, codes[0, 2], 1e-5);
    }

    [Fact]
    public void HandComputed2D()
    {
        // (1/3)·[[20, 16], [16, 20]]: eigenvalues 12 and 4/3 along (1, 1)/√2 and (1, −1)/√2; the mean (5, −1) is removed.
        var x = Tensor.FromRows(new float[,] { { 8, 2 }, { 2, -4 }, { 6, -2 }, { 4, 0 } });
        var model = new PcaOptions { Components = 1 }.Fit(x);
        Assert.Equal(12, model.ExplainedVariance[0], 1e-5);
        Assert.Equal([5.0, -1.0], model.Mean);
        Assert.Equal(4.0 / 3, model.NoiseVariance, 1e-5);
        double r = 1 / Math.Sqrt(2);
        AssertVector([r, r], model.Component(0), 1e-6);
        using Tensor back = model.InverseTransform(model.Transform(x));
        Assert.Equal(8, back[0, 0], 1e-4);
        Assert.Equal(2, back[0, 1], 1e-4);
        Assert.Equal(5, back[3, 0], 1e-4);
        Assert.Equal(-1, back[3, 1], 1e-4);
    }

    [Theory]
    [InlineData(PcaSolver.Full, 300, 12)]
    [InlineData(PcaSolver.Full, 9, 14)]
    [InlineData(PcaSolver.Randomized, 300, 12)]
    public void ComponentsAreOrthonormalAndMatchTheCovariance(PcaSolver solver, int n, int d)
    {
        double[] scales = Enumerable.Range(0, d).Select(i => 5.0 * Math.Pow(0.8, i)).ToArray();
        Tensor x = ClassicalTestData.Spectrum(n, scales, 3, out _);
        int k = Math.Min(5, Math.Min(n, d));
        var model = new PcaOptions { Components = k, Solver = solver, PowerIterations = 10 }.Fit(x);
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double dot = Dot(model.Component(i), model.Component(j));
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-9);
            }
        }

        var covariance = Matrix<double>.Build.DenseOfArray(ClassicalTestData.Covariance(x));
        var eigen = covariance.Evd(Symmetricity.Symmetric);
        double[] expected = eigen.EigenValues.Select(v => v.Real).OrderByDescending(v => v).ToArray();
        for (int i = 0; i < k; i++)
        {
            Assert.Equal(expected[i], model.ExplainedVariance[i], 1e-4 * expected[0]);

            // S·v = λ·v for each component.
            var v = Vector<double>.Build.DenseOfArray(model.Component(i).ToArray());
            Assert.True((covariance * v - expected[i] * v).L2Norm() < 1e-3 * expected[0]);
        }

        Assert.Equal(covariance.Trace(), model.TotalVariance, 1e-6 * covariance.Trace());
    }

    [Fact]
    public void RandomizedMatchesExactWithin1e3Radians()
    {
        double[] scales = Enumerable.Range(0, 40).Select(i => i < 6 ? 40.0 * Math.Pow(0.72, i) : 0.5).ToArray();
        Tensor x = ClassicalTestData.Spectrum(1000, scales, 11, out double[] rotation);
        var exact = new PcaOptions { Components = 6, Solver = PcaSolver.Full }.Fit(x);
        var randomized = new PcaOptions { Components = 6, Solver = PcaSolver.Randomized, Seed = 5 }.Fit(x);
        for (int i = 0; i < 6; i++)
        {
            double cosine = Dot(exact.Component(i), randomized.Component(i));
            Assert.True(cosine > 0, "Both solvers use the same sign convention.");
            Assert.True(Math.Acos(Math.Min(1, cosine)) < 1e-3, $"component {i}: angle {Math.Acos(Math.Min(1, cosine))} rad");

            // And both found the planted direction (up to sampling error).
            double planted = Math.Abs(Dot(exact.Component(i), rotation.AsSpan(i * 40, 40)));
            Assert.True(planted > 0.98, $"component {i}: cosine {planted} with the planted direction");
        }
    }

    [Theory]
    [InlineData(2)] // 60 features ≥ (4·2 + 2)·5: the passes through the data are cheaper than the covariance
    [InlineData(10)] // 60 < (4·10 + 2)·5: subspace iteration on the covariance
    public void BothRandomizedPathsMatchTheExactSolver(int powerIterations)
    {
        double[] scales = Enumerable.Range(0, 60).Select(i => i < 3 ? 30.0 * Math.Pow(0.5, i) : 0.3).ToArray();
        Tensor x = ClassicalTestData.Spectrum(2000, scales, 13, out _);
        var exact = new PcaOptions { Components = 3, Solver = PcaSolver.Full }.Fit(x);
        var randomized = new PcaOptions { Components = 3, Solver = PcaSolver.Randomized, Oversamples = 2, PowerIterations = powerIterations, Seed = 3 }.Fit(x);
        for (int i = 0; i < 3; i++)
        {
            double cosine = Dot(exact.Component(i), randomized.Component(i));
            Assert.True(Math.Acos(Math.Min(1, cosine)) < 1e-3, $"component {i}: angle {Math.Acos(Math.Min(1, cosine))} rad");
            Assert.Equal(exact.ExplainedVariance[i], randomized.ExplainedVariance[i], 1e-6 * exact.ExplainedVariance[0]);
        }
    }

    [Fact]
    public void WhitenedCodesHaveUnitVarianceAndReconstructionErrorIsTheDiscardedVariance()
    {
        double[] scales = [6, 4, 3, 1, 0.5, 0.25];
        Tensor x = ClassicalTestData.Spectrum(200, scales, 21, out _);
        var model = new PcaOptions { Components = 3, Whiten = true }.Fit(x);
        using Tensor codes = model.Transform(x);
        var covariance = ClassicalTestData.Covariance(codes);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(i == j ? 1.0 : 0.0, covariance[i, j], 1e-4);
            }
        }

        var full = new PcaOptions { Components = 6 }.Fit(x);
        double discarded = full.ExplainedVariance.Skip(3).Sum();
        Assert.Equal(discarded / 3, model.NoiseVariance, 1e-6);
        Assert.Equal(discarded * 199 / 200, model.ReconstructionError(x), 1e-4);
        Assert.Equal(0, full.ReconstructionError(x), 1e-6);
    }

    [Fact]
    public void ClearErrors()
    {
        var x = Tensor.FromRows(s_hand3);
        var tooMany = Assert.Throws<ArgumentException>(() => new PcaOptions { Components = 4 }.Fit(x));
        Assert.Contains("4 components", tooMany.Message);
        x[2, 1] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => new PcaOptions().Fit(x));
        Assert.Contains("row 2, column 1", nan.Message);
        var constant = Tensor.Zeros(5, 3);
        constant.Fill(2);
        Assert.Contains("zero variance", Assert.Throws<ArgumentException>(() => new PcaOptions().Fit(constant)).Message);
        var model = new PcaOptions().Fit(Tensor.FromRows(s_hand3));
        Assert.Contains("fitted on 3", Assert.Throws<ArgumentException>(() => model.Transform(Tensor.Zeros(2, 4))).Message);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static void AssertVector(double[] expected, ReadOnlySpan<double> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }
}
