namespace Latent.Tensors;

/// <summary>
/// A register-tiled GEMM micro-kernel: the product of a packed A sliver (kc × Mr, p-major) and a packed
/// B sliver (kc × Nr, p-major), stored into an Mr × Nr tile of C as <see cref="GemmStore"/> says.
/// </summary>
/// <remarks>
/// Every element of the tile is one vector lane summed by fused multiply-adds in order p = 0, 1, …, kc − 1,
/// so its value depends neither on the tile's position nor on the thread that computes it.
/// </remarks>
internal unsafe interface IGemmKernel
{
    /// <summary>Rows of the register tile (the A sliver's width).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile (the B sliver's width).</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// The largest k block. Longer blocks mean fewer passes over C; the A sliver (Mr × kc) streams from L2
    /// well even past L1's size (measured: AVX-512 on Zen 4 is fastest with k blocks of 500–800).
    /// </summary>
    static abstract int KcMax { get; }

    /// <summary>The largest column block, sized so that a packed B block stays in the L2 cache.</summary>
    static abstract int NcMax { get; }

    /// <summary>For <see cref="Gemm.KernelName"/>.</summary>
    static abstract string Name { get; }

    /// <summary>Computes the tile and stores it into C.</summary>
    /// <param name="kc">Steps of the product (the k block's length).</param>
    /// <param name="a">The packed A sliver, kc × Mr.</param>
    /// <param name="b">The packed B sliver, kc × Nr.</param>
    /// <param name="c">The tile's first element in C.</param>
    /// <param name="ldc">Distance between C's rows.</param>
    /// <param name="bias">The bias at the tile's first column, or null.</param>
    /// <param name="store">How the product joins C.</param>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store);

    /// <summary>As <see cref="Run"/> for the left Nr / 2 columns only, at half the cost: the last column block.</summary>
    static abstract void RunHalf(int kc, float* a, float* b, float* c, nint ldc, float* bias, in GemmStore store);
}
