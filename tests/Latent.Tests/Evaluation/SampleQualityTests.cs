using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Evaluation;

public class SampleQualityTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 3)]
    [InlineData(130, 41, 17)]
    [InlineData(300, 260, 64)]
    public void NearestNeighbourDistancesMatchANaiveSearch(int n, int m, int d)
    {
        var rng = new Rng((ulong)(n + m + d));
        var items = Tensor.Zeros(n, d);
        var reference = Tensor.Zeros(m, d);
        rng.FillNormal(items.Span, 3f, 2f);
        rng.FillNormal(reference.Span, 3f, 2f);
        var distances = NearestNeighbourDistance.Distances(items, reference);
        for (int i = 0; i < n; i++)
        {
            double best = double.MaxValue;
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int c = 0; c < d; c++)
                {
                    double diff = items[i, c] - (double)reference[j, c];
                    sum += diff * diff;
                }

                best = Math.Min(best, Math.Sqrt(sum));
            }

            Assert.Equal(best, distances[i], 1e-3 * Math.Max(1, best));
        }

        Assert.Equal(distances.Average(), NearestNeighbourDistance.Mean(items, reference), 1e-12);
    }

    [Fact]
    public void AnItemOfTheReferenceIsAtDistanceZeroAndMismatchedSizesAreRefused()
    {
        var digits = ModelTestData.Rows(ModelTestData.Digits, 0, 50);
        var some = ModelTestData.Rows(ModelTestData.Digits, 10, 5);
        Assert.All(NearestNeighbourDistance.Distances(some, digits), v => Assert.InRange(v, 0, 1e-3));
        // Normalised, a brighter or fainter copy of a reference item is at distance 0; plain, it is not.
        var faint = ModelTestData.Rows(ModelTestData.Digits, 10, 5);
        System.Numerics.Tensors.TensorPrimitives.Multiply(faint.Span, 0.3f, faint.Span);
        Assert.All(NearestNeighbourDistance.Distances(faint, digits, normalize: true), v => Assert.InRange(v, 0, 1e-3));
        Assert.All(NearestNeighbourDistance.Distances(faint, digits), v => Assert.True(v > 0.1));
        var a = Tensor.FromArray([1f, 0f], 1, 2);
        var b = Tensor.FromArray([0f, 5f, 3f, 3f], 2, 2);
        Assert.Equal(Math.Sqrt(2 - Math.Sqrt(2)), NearestNeighbourDistance.Distances(a, b, normalize: true)[0], 1e-6);
        Assert.Throws<ArgumentException>(() => NearestNeighbourDistance.Distances(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
        Assert.Throws<ArgumentException>(() => NearestNeighbourDistance.Distances(Tensor.Zeros(2, 3), Tensor.Zeros(0, 3)));
    }

    [Fact]
    public void DenoisingErrorComparesTheOutputsWithTheCleanItems()
    {
        var model = new Autoencoder(ModelTestData.Small("ae"));
        var clean = ModelTestData.Rows(ModelTestData.Digits, 0, 200);

        var none = DenoisingError.Measure(model, clean, NoiseKind.None, 0f, new Rng(1));
        Assert.All(none.NoisyError, e => Assert.Equal(0, e));
        var reconstruction = ReconstructionError.Measure(model, clean);
        for (int i = 0; i < clean.Rows; i++)
        {
            Assert.Equal(reconstruction.SquaredError[i], none.OutputError[i], 1e-4);
        }

        const float Sigma = 0.2f;
        var noisy = DenoisingError.Measure(model, clean, NoiseKind.Gaussian, Sigma, new Rng(2));
        Assert.InRange(noisy.MeanNoisyError, 0.95 * 64 * Sigma * Sigma, 1.05 * 64 * Sigma * Sigma);
        Assert.Equal(model.Reconstruct(noisy.Noisy).Span.ToArray(), noisy.Outputs.Span.ToArray());
        Assert.NotEqual(none.MeanOutputError, noisy.MeanOutputError);

        Assert.Throws<ArgumentException>(() => DenoisingError.Measure(model, Tensor.Zeros(3, 10), NoiseKind.Gaussian, Sigma, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DenoisingError.Measure(model, clean, NoiseKind.Mask, 1.5f, new Rng(1)));
    }
}
