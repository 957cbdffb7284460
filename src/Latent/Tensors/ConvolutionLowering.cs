namespace Latent.Tensors;

/// <summary>How convolutions lower onto the GEMM: the decision, with the figures it rests on (a design note; no code).</summary>
/// <remarks>
/// <para>
/// <b>Decision: batched im2col, one <see cref="GemmForm.ABt"/> GEMM per layer, output rows NHWC, then a
/// transpose to NCHW.</b> For a batch of N images, P = Hₒ·Wₒ output pixels and K = Cin·kh·kw:
/// cols [N·P, K] (row = one output pixel, its K inputs contiguous) · Wᵀ with W [Cout, K] (the weight
/// [Cout, Cin, kh, kw] seen through a reshape) gives [N·P, Cout] with the bias per output channel = per
/// column and the activation fused in the <see cref="GemmEpilogue"/> exactly as <c>Linear</c> does; a
/// transpose pass then writes NCHW. Backward: the NCHW gradient transposed to G [N·P, Cout];
/// ∂W = Gᵀ·cols (<see cref="GemmForm.AtB"/>, one reduction over all N·P pixels), ∂cols = G·W
/// (<see cref="GemmForm.AB"/>), then col2im. A transposed convolution (the decoder) is the adjoint and uses the
/// same two layouts with the roles swapped.
/// </para>
/// <para>
/// Why not (b), one GEMM per image out[Cout, P] = W·colsₙ straight into NCHW: it needs a per-row bias the
/// kernels lack; its GEMMs are small (m = Cout of 32–64 and n = P down to 16 against a 12×32 micro-tile) and
/// re-pack W for every image; and ∂W is then a sum over images that is either a chain of N dependent
/// GEMMs or per-thread partial sums whose order depends on the thread count, which would break the GEMM's
/// bitwise reproducibility for any thread count. (a) keeps one large GEMM that the existing split over
/// output blocks parallelises and sums in a fixed order.
/// </para>
/// <para>
/// Measured by <c>dotnet run -c Release --project bench/Latent.Benchmarks -- convlower</c> (batch 128,
/// 4×4 kernels, stride 2, padding 1; AVX-512 12×32 kernel, 2 cores), on a machine far from quiet: load
/// average 55–69 on 2 cores during all three runs, so single figures are noisy by up to 2× and only
/// consistent orderings count. Milliseconds per call, median of 7 (2 GEMM threads, second run; first and
/// 1-thread runs in brackets where they disagree):
/// </para>
/// <code>
/// layer                  (a) GEMM  naive T  blocked T  (b) seq  (b) images on threads   bwd (a)  bwd (b)
/// conv-vae 1×28²→32×14²     0.70     7.3      2.9       10.9      15.5                  22.9     16.6
/// conv-vae 32×14²→64×7²    54.0      0.7      1.7       54.4      42.7 (23.9; 65.3)     67.4    114.1
/// chairs   1×64²→32×32²    29.7     79.1     30.4       27.5      32.3                 139.7     81.1
/// chairs   32×32²→32×16²   84.2      2.3      6.9      109.8     106.4                 212.3    147.9
/// chairs   32×16²→64×8²    28.5      3.0      2.5       42.5      35.6                  75.3     67.8
/// chairs   64×8²→64×4²     17.5      0.2      0.4       67.2      31.8                  36.6     42.8
/// forward totals, (a) with the blocked transpose: conv-vae 59.3 against (b) 65.3 / 58.2 ms;
/// chairs 200.0 against 247.0 / 206.1 ms (1 thread: 163.2 against 166.2 / 188.5 ms)
/// </code>
/// <para>
/// The (a) GEMM alone beats (b) on four of the six layers in every run — by 8–20× on the conv-VAE's first
/// layer (K = 16: per-image GEMMs of 32×196×16 are all overhead), by 1.5–4× on the chairs' last three — and
/// is within the noise of (b) on the other two (conv-VAE's second layer, chairs' first). (a)'s cost is the
/// transpose, which is memory-bound: at the large first layer of the chairs net (16 MB of output) even the
/// blocked pass is as slow as the GEMM. So the conv implementation should (1) transpose in cache blocks
/// (never the naive loop, 2–3× slower there), and (2) next, fold the NCHW scatter into the GEMM's store (row
/// r = n·P + p, column c goes to n·Cout·P + c·P + p) or hand NHWC rows straight to a following convolution's
/// im2col, removing the pass. The backward figures do not separate the two options under this load. Re-run
/// the benchmark on a quiet machine before quoting any of these numbers as performance.
/// </para>
/// </remarks>
internal static class ConvolutionLowering
{
}
