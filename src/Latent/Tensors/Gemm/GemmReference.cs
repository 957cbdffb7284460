using Latent.Tensors.Kernels;
namespace Latent.Tensors;

/// <summary>The plain triple loop, summing in double: the oracle the fast GEMM is tested against.</summary>
internal static class GemmReference
{
    public static void Multiply(
        GemmForm form, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float x = form == GemmForm.AtB ? a[(p * lda) + i] : a[(i * lda) + p];
                    float y = form == GemmForm.ABt ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)x * y;
                }

                double previous = beta == 0f ? 0.0 : beta * (double)row[j];
                double bias = epilogue.Bias.IsEmpty ? 0.0 : epilogue.Bias[j];
                row[j] = (float)((alpha * sum) + previous + bias);
            }

            ActivationKernels.Apply(epilogue.Activation, row, epilogue.LeakySlope);
        }
    }
}
