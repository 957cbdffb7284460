using Latent.Classical;
using Latent.Tensors;

namespace Latent.Tests.Classical;

/// <summary>The k-means assignment in cache-sized slices, and the single-thread GEMM it runs on.</summary>
[Trait("Category", "Kernels")]
public class CentroidAssignerTests
{
    [Fact]
    public void SlicedAssignmentMatchesNaiveNearestCentre()
    {
        // 3.5 slices of rows, 7 centres: every slice, the last partial one included, against a naive double loop.
        const int N = (CentroidAssigner.SliceRows * 3) + (CentroidAssigner.SliceRows / 2), D = 19, K = 7;
        var rng = new Rng(5);
        var x = new float[N * D];
        var centres = new float[K * D];
        rng.FillNormal(x);
        rng.FillNormal(centres);
        float[] copy = KMeans.Centre(x, N, D, new float[D], out float[] norms);
        Assert.Equal(x, copy);
        var assigner = new CentroidAssigner(centres, K, D);
        var labels = new int[N];
        var nearest = new float[N];
        assigner.Assign(x, norms, 0, N, labels, nearest, new float[K * CentroidAssigner.SliceRows]);
        for (int i = 0; i < N; i++)
        {
            var distances = new double[K];
            for (int j = 0; j < K; j++)
            {
                for (int c = 0; c < D; c++)
                {
                    double diff = x[(i * D) + c] - centres[(j * D) + c];
                    distances[j] += diff * diff;
                }
            }

            int best = Array.IndexOf(distances, distances.Min());
            double second = distances.Where((_, j) => j != best).Min();
            if (second - distances[best] > 1e-3)
            {
                Assert.Equal(best, labels[i]);
            }

            Assert.Equal(distances[best], nearest[i], 1e-3 * (1 + distances[best]));
        }
    }

    [Fact]
    public void CallingThreadGemmIsBitwiseTheParallelGemm()
    {
        // Large enough that Multiply splits it over threads; the single-thread path must give the same bits.
        const int M = 67, N = 301, K = 233;
        var rng = new Rng(9);
        var a = new float[M * K];
        var b = new float[N * K];
        var bias = new float[N];
        rng.FillNormal(a);
        rng.FillNormal(b);
        rng.FillNormal(bias);
        var parallel = new float[M * N];
        var serial = new float[M * N];
        Gemm.Multiply(GemmForm.ABt, M, N, K, -2f, a, K, b, K, 0f, parallel, N, new GemmEpilogue(bias));
        Gemm.MultiplyOnCallingThread(GemmForm.ABt, M, N, K, -2f, a, K, b, K, 0f, serial, N, new GemmEpilogue(bias));
        Assert.Equal(parallel, serial);

        // And both agree with a naive loop.
        for (int i = 0; i < M; i += 11)
        {
            for (int j = 0; j < N; j += 13)
            {
                double dot = 0;
                for (int p = 0; p < K; p++)
                {
                    dot += (double)a[(i * K) + p] * b[(j * K) + p];
                }

                Assert.Equal((-2 * dot) + bias[j], serial[(i * N) + j], 1e-3);
            }
        }
    }
}
