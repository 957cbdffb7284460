using System.Runtime.CompilerServices;
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

/// <summary>
/// The cache-blocked loops around a micro-kernel (Goto / BLIS style), for one rectangle of C.
/// </summary>
/// <remarks>
/// For each block of nc columns and each k block, the B block (kc × nc) is packed once and stays in L2;
/// for each sliver of mr rows, the A sliver (mr × kc) is packed and stays in L1 or L2 while the kernel sweeps
/// the B block's slivers. The first k block applies β, the last one the bias and activation.
/// </remarks>
internal static unsafe class GemmBlocking<TKernel>
    where TKernel : struct, IGemmKernel
{
    /// <summary>Computes rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of C.</summary>
    /// <remarks>rowStart is a multiple of Mr and columnStart of Nr / 2.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem problem, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int ncMax = TKernel.NcMax;
        GemmBuffers buffers = GemmBuffers.For(mr * TKernel.KcMax, TKernel.KcMax * ncMax, mr * nr);
        float* packedA = buffers.A, packedB = buffers.B, tile = buffers.Tile;
        nint ldc = problem.Ldc;
        bool rowActivation = problem.Activation is Activation.Sigmoid or Activation.Tanh;
        Activation tileActivation = rowActivation ? Activation.Identity : problem.Activation;

        for (int jc = columnStart; jc < columnEnd; jc += ncMax)
        {
            int nc = Math.Min(ncMax, columnEnd - jc);
            for (int block = 0; block < problem.KBlocks; block++)
            {
                int p0 = block * problem.Kc;
                int kc = Math.Min(problem.Kc, problem.K - p0);
                bool last = block == problem.KBlocks - 1;
                GemmStoreMode mode = block > 0 ? GemmStoreMode.Accumulate : problem.Beta == 0f ? GemmStoreMode.Overwrite : GemmStoreMode.ScaleAdd;
                var store = new GemmStore(mode, problem.Alpha, problem.Beta, last ? tileActivation : Activation.Identity, problem.Slope);
                float* bias = last ? problem.Bias : null;

                GemmPacking.PackB(problem.Form, problem.B, problem.Ldb, jc, nc, p0, kc, packedB, nr);
                for (int i0 = rowStart; i0 < rowEnd; i0 += mr)
                {
                    int rows = Math.Min(mr, rowEnd - i0);
                    GemmPacking.PackA(problem.Form, problem.A, problem.Lda, i0, rows, p0, kc, packedA, mr);
                    float* cRow = problem.C + (i0 * ldc);
                    for (int j = 0; j < nc; j += nr)
                    {
                        int j0 = jc + j;
                        int columns = Math.Min(nr, columnEnd - j0);
                        float* sliverB = packedB + ((nint)j * kc);
                        float* tileBias = bias == null ? null : bias + j0;
                        bool half = columns <= nr / 2;
                        if (rows == mr && columns == (half ? nr / 2 : nr))
                        {
                            if (half)
                            {
                                TKernel.RunHalf(kc, packedA, sliverB, cRow + j0, ldc, tileBias, store);
                            }
                            else
                            {
                                TKernel.Run(kc, packedA, sliverB, cRow + j0, ldc, tileBias, store);
                            }
                        }
                        else
                        {
                            if (half)
                            {
                                TKernel.RunHalf(kc, packedA, sliverB, tile, nr, null, GemmStore.Raw);
                            }
                            else
                            {
                                TKernel.Run(kc, packedA, sliverB, tile, nr, null, GemmStore.Raw);
                            }

                            GemmEdge.Store(tile, nr, rows, columns, cRow + j0, ldc, tileBias, store);
                        }
                    }

                    if (last && rowActivation)
                    {
                        // Sigmoid and tanh have no cheap in-register form here: apply them to the rows
                        // just finished, while they are still in cache.
                        for (int i = 0; i < rows; i++)
                        {
                            ActivationKernels.Apply(problem.Activation, new Span<float>(cRow + (i * ldc) + jc, nc));
                        }
                    }
                }
            }
        }
    }
}
