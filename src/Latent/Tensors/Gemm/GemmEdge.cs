using System.Runtime.CompilerServices;

namespace Latent.Tensors;

/// <summary>
/// The store of a tile that sticks out of C: the kernel wrote its raw accumulators to a scratch tile, and
/// only the rows and columns inside C are combined here, with the same rounding as the kernels' store.
/// </summary>
internal static unsafe class GemmEdge
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Store(float* tile, int tileStride, int rows, int columns, float* c, nint ldc, float* bias, in GemmStore store)
    {
        for (int i = 0; i < rows; i++, tile += tileStride, c += ldc)
        {
            for (int j = 0; j < columns; j++)
            {
                float r = store.Combine(tile[j], c[j]);
                if (bias != null)
                {
                    r += bias[j];
                }

                c[j] = store.Activate(r);
            }
        }
    }
}
