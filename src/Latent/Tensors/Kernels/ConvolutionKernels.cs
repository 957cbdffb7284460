using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Latent.Tensors.Kernels;

/// <summary>
/// The lowering of a convolution onto the GEMM: im2col, its adjoint col2im, and the NHWC ↔ NCHW transposes
/// between the GEMM's rows and the images.
/// </summary>
/// <remarks>
/// A convolution of x [N, C, H, W] with weights W [Cout, C·kh·kw] is rows = cols·Wᵀ, with cols the
/// [N·Hₒ·Wₒ, C·kh·kw] im2col matrix of <see cref="ConvolutionGeometry"/>; rows [N·Hₒ·Wₒ, Cout] is NHWC and
/// <see cref="NhwcToNchw(ReadOnlySpan{float}, Span{float}, int, int)"/> gives y [N, Cout, Hₒ, Wₒ]. Every kernel
/// works on a block of rows, so a caller can lower in cache-sized blocks: im2col one block, multiply it,
/// transpose it into the output.
/// </remarks>
internal static class ConvolutionKernels
{
    // Runs shorter than this are copied or added by a scalar loop (a kernel row is usually 3 to 5 values).
    private const int ShortRun = 16;

    // Tile of the blocked transposes: 32 × 32 floats (4 KiB) read and 4 KiB written stay in L1.
    private const int Tile = 32;

    /// <summary>
    /// Writes rows [rowStart, rowStart + rowCount) of the im2col matrix of <paramref name="x"/> into
    /// <paramref name="cols"/> (row rowStart first), zeros where a window reaches into the padding.
    /// </summary>
    /// <remarks>
    /// cols[r − rowStart, (c·kh + ky)·kw + kx] = x[n, c, oy·sh − ph + ky, ox·sw − pw + kx] with
    /// r = (n·Hₒ + oy)·Wₒ + ox. Each (c, ky) of a row is one contiguous run of kw input values, copied whole.
    /// Blocks may cut images anywhere; disjoint blocks may be lowered in parallel.
    /// </remarks>
    /// <param name="geometry">The sizes.</param>
    /// <param name="x">The input [N, C, H, W].</param>
    /// <param name="cols">At least rowCount·K values; the first rowCount·K are written.</param>
    /// <param name="rowStart">The first row to write.</param>
    /// <param name="rowCount">How many rows to write.</param>
    public static void Im2Col(in ConvolutionGeometry geometry, ReadOnlySpan<float> x, Span<float> cols, int rowStart, int rowCount)
    {
        CheckImage(geometry, x.Length, nameof(x));
        CheckRows(geometry, cols.Length, rowStart, rowCount, nameof(cols));
        int kh = geometry.KernelHeight, kw = geometry.KernelWidth, h = geometry.Height, w = geometry.Width;
        int channels = geometry.Channels, plane = geometry.InputPlane, k = geometry.Columns;
        int outH = geometry.OutputHeight, outW = geometry.OutputWidth;
        int n = rowStart / geometry.OutputPlane, oy = (rowStart % geometry.OutputPlane) / outW, ox = rowStart % outW;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float cs = ref MemoryMarshal.GetReference(cols);
        for (int i = 0; i < rowCount; i++)
        {
            ref float row = ref Unsafe.Add(ref cs, (nint)i * k);
            int iy0 = (oy * geometry.StrideHeight) - geometry.PaddingHeight, ix0 = (ox * geometry.StrideWidth) - geometry.PaddingWidth;
            int kyLo = Math.Max(0, -iy0), kyHi = Math.Min(kh, h - iy0);
            int kxLo = Math.Max(0, -ix0), kxHi = Math.Min(kw, w - ix0);
            bool interior = kyLo == 0 && kyHi == kh && kxLo == 0 && kxHi == kw;
            if (!interior)
            {
                MemoryMarshal.CreateSpan(ref row, k).Clear();
            }

            if (kxHi > kxLo)
            {
                for (int c = 0; c < channels; c++)
                {
                    nint image = ((nint)((n * channels) + c) * plane) + ix0 + kxLo;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        Copy(
                            ref Unsafe.Add(ref xs, image + ((nint)(iy0 + ky) * w)),
                            ref Unsafe.Add(ref row, (((c * kh) + ky) * kw) + kxLo),
                            kxHi - kxLo);
                    }
                }
            }

            if (++ox == outW)
            {
                ox = 0;
                if (++oy == outH)
                {
                    oy = 0;
                    n++;
                }
            }
        }
    }

    /// <summary>
    /// Adds rows [rowStart, rowStart + rowCount) of an im2col-shaped matrix <paramref name="cols"/> (row rowStart
    /// first) back into the image gradient <paramref name="dx"/>: the adjoint of <see cref="Im2Col"/>.
    /// </summary>
    /// <remarks>
    /// dx[n, c, oy·sh − ph + ky, ox·sw − pw + kx] += cols[r − rowStart, (c·kh + ky)·kw + kx] for every tap inside
    /// the image, rows in increasing order and taps in increasing order within a row. So blocks added one after
    /// another in increasing order give bitwise the result of one call over all rows. Overlapping windows write
    /// the same pixels: blocks may run in parallel only when they hold whole images (see
    /// <see cref="Col2ImAddImages"/>), which is also bitwise the same.
    /// </remarks>
    /// <param name="geometry">The sizes.</param>
    /// <param name="cols">At least rowCount·K values.</param>
    /// <param name="dx">The gradient [N, C, H, W], added to.</param>
    /// <param name="rowStart">The first row to add.</param>
    /// <param name="rowCount">How many rows to add.</param>
    public static void Col2ImAdd(in ConvolutionGeometry geometry, ReadOnlySpan<float> cols, Span<float> dx, int rowStart, int rowCount)
    {
        CheckImage(geometry, dx.Length, nameof(dx));
        CheckRows(geometry, cols.Length, rowStart, rowCount, nameof(cols));
        int kh = geometry.KernelHeight, kw = geometry.KernelWidth, h = geometry.Height, w = geometry.Width;
        int channels = geometry.Channels, plane = geometry.InputPlane, k = geometry.Columns;
        int outH = geometry.OutputHeight, outW = geometry.OutputWidth;
        int n = rowStart / geometry.OutputPlane, oy = (rowStart % geometry.OutputPlane) / outW, ox = rowStart % outW;
        ref float cs = ref MemoryMarshal.GetReference(cols);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        for (int i = 0; i < rowCount; i++)
        {
            ref float row = ref Unsafe.Add(ref cs, (nint)i * k);
            int iy0 = (oy * geometry.StrideHeight) - geometry.PaddingHeight, ix0 = (ox * geometry.StrideWidth) - geometry.PaddingWidth;
            int kyLo = Math.Max(0, -iy0), kyHi = Math.Min(kh, h - iy0);
            int kxLo = Math.Max(0, -ix0), kxHi = Math.Min(kw, w - ix0);
            if (kxHi > kxLo)
            {
                for (int c = 0; c < channels; c++)
                {
                    nint image = ((nint)((n * channels) + c) * plane) + ix0 + kxLo;
                    for (int ky = kyLo; ky < kyHi; ky++)
                    {
                        Add(
                            ref Unsafe.Add(ref row, (((c * kh) + ky) * kw) + kxLo),
                            ref Unsafe.Add(ref ds, image + ((nint)(iy0 + ky) * w)),
                            kxHi - kxLo);
                    }
                }
            }

            if (++ox == outW)
            {
                ox = 0;
                if (++oy == outH)
                {
                    oy = 0;
                    n++;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Col2ImAdd"/> over the rows of images [imageStart, imageStart + imageCount): cols holds their
    /// imageCount·Hₒ·Wₒ rows. Calls over disjoint image ranges write disjoint parts of dx, so they may run in
    /// parallel, and the result is bitwise that of one call.
    /// </summary>
    public static void Col2ImAddImages(in ConvolutionGeometry geometry, ReadOnlySpan<float> cols, Span<float> dx, int imageStart, int imageCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imageStart);
        ArgumentOutOfRangeException.ThrowIfNegative(imageCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(imageCount, geometry.Images - imageStart);
        Col2ImAdd(geometry, cols, dx, imageStart * geometry.OutputPlane, imageCount * geometry.OutputPlane);
    }

    /// <summary>nchw[n, c, p] = rows[n·P + p, c]: the GEMM's NHWC rows [N·P, C] to images [N, C, P].</summary>
    public static void NhwcToNchw(ReadOnlySpan<float> rows, Span<float> nchw, int channels, int plane)
    {
        int total = CheckTranspose(nchw.Length, channels, plane, nameof(nchw));
        CheckExact(rows.Length, nchw.Length, nameof(rows));
        NhwcToNchw(rows, nchw, channels, plane, 0, total);
    }

    /// <summary>
    /// nchw[n, c, p] = rows[r − rowStart, c] for rows r = n·P + p in [rowStart, rowStart + rowCount): one block of
    /// the GEMM's NHWC rows into the images [N, C, P]. Blocks may cut images anywhere and run in parallel.
    /// </summary>
    public static void NhwcToNchw(ReadOnlySpan<float> rows, Span<float> nchw, int channels, int plane, int rowStart, int rowCount)
    {
        int total = CheckTranspose(nchw.Length, channels, plane, nameof(nchw));
        CheckBlock(total, channels, rows.Length, rowStart, rowCount, nameof(rows));
        for (int r = rowStart, end = rowStart + rowCount; r < end;)
        {
            int n = r / plane, p0 = r % plane, length = Math.Min(plane - p0, end - r);
            RowsToPlanes(
                rows.Slice((r - rowStart) * channels, length * channels), length, channels,
                nchw.Slice((n * channels * plane) + p0), plane);
            r += length;
        }
    }

    /// <summary>rows[n·P + p, c] = nchw[n, c, p]: images [N, C, P] to NHWC rows [N·P, C].</summary>
    public static void NchwToNhwc(ReadOnlySpan<float> nchw, Span<float> rows, int channels, int plane)
    {
        int total = CheckTranspose(nchw.Length, channels, plane, nameof(nchw));
        CheckExact(rows.Length, nchw.Length, nameof(rows));
        NchwToNhwc(nchw, rows, channels, plane, 0, total);
    }

    /// <summary>
    /// rows[r − rowStart, c] = nchw[n, c, p] for rows r = n·P + p in [rowStart, rowStart + rowCount): one block of
    /// NHWC rows from the images [N, C, P]. Blocks may cut images anywhere and run in parallel.
    /// </summary>
    public static void NchwToNhwc(ReadOnlySpan<float> nchw, Span<float> rows, int channels, int plane, int rowStart, int rowCount)
    {
        int total = CheckTranspose(nchw.Length, channels, plane, nameof(nchw));
        CheckBlock(total, channels, rows.Length, rowStart, rowCount, nameof(rows));
        for (int r = rowStart, end = rowStart + rowCount; r < end;)
        {
            int n = r / plane, p0 = r % plane, length = Math.Min(plane - p0, end - r);
            PlanesToRows(
                nchw.Slice((n * channels * plane) + p0), plane, channels, length,
                rows.Slice((r - rowStart) * channels, length * channels), channels);
            r += length;
        }
    }

    /// <summary>destination[j, i] = source[i, j] for source [rows, columns] (leading dimension = columns) and leading dimension <paramref name="ld"/> for destination.</summary>
    private static void RowsToPlanes(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination, int ld)
    {
        for (int j0 = 0; j0 < columns; j0 += Tile)
        {
            int j1 = Math.Min(columns, j0 + Tile);
            for (int i0 = 0; i0 < rows; i0 += Tile)
            {
                int i1 = Math.Min(rows, i0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    ref float d = ref MemoryMarshal.GetReference(destination.Slice(j * ld, i1));
                    ref float s = ref MemoryMarshal.GetReference(source[j..]);
                    for (int i = i0; i < i1; i++)
                    {
                        Unsafe.Add(ref d, i) = Unsafe.Add(ref s, (nint)i * columns);
                    }
                }
            }
        }
    }

    /// <summary>destination[i, j] = source[j, i] for source with leading dimension <paramref name="ldSource"/>, destination [rows, columns].</summary>
    private static void PlanesToRows(ReadOnlySpan<float> source, int ldSource, int columns, int rows, Span<float> destination, int ldDestination)
    {
        for (int j0 = 0; j0 < columns; j0 += Tile)
        {
            int j1 = Math.Min(columns, j0 + Tile);
            for (int i0 = 0; i0 < rows; i0 += Tile)
            {
                int i1 = Math.Min(rows, i0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    ref float s = ref MemoryMarshal.GetReference(source.Slice(j * ldSource, i1));
                    ref float d = ref MemoryMarshal.GetReference(destination[j..]);
                    for (int i = i0; i < i1; i++)
                    {
                        Unsafe.Add(ref d, (nint)i * ldDestination) = Unsafe.Add(ref s, i);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float destination, int length)
    {
        if (length >= ShortRun)
        {
            MemoryMarshal.CreateReadOnlySpan(ref source, length).CopyTo(MemoryMarshal.CreateSpan(ref destination, length));
            return;
        }

        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
        }
    }

    /// <summary>destination[i] += source[i]; one add per element whichever path, so the result never depends on the path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float source, ref float destination, int length)
    {
        if (length >= ShortRun)
        {
            Span<float> d = MemoryMarshal.CreateSpan(ref destination, length);
            TensorPrimitives.Add(d, MemoryMarshal.CreateReadOnlySpan(ref source, length), d);
            return;
        }

        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref destination, i) += Unsafe.Add(ref source, i);
        }
    }

    private static void CheckImage(in ConvolutionGeometry geometry, int length, string name)
    {
        if (length != geometry.InputSize)
        {
            throw new ArgumentException(
                $"{name} holds {length} values; a [{geometry.Images}, {geometry.Channels}, {geometry.Height}, {geometry.Width}] batch needs {geometry.InputSize}.", name);
        }
    }

    private static void CheckRows(in ConvolutionGeometry geometry, int length, int rowStart, int rowCount, string name)
    {
        CheckBlock(geometry.Rows, geometry.Columns, length, rowStart, rowCount, name);
    }

    private static void CheckBlock(int totalRows, int columns, int length, int rowStart, int rowCount, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowStart);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (rowCount > totalRows - rowStart)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), $"Rows [{rowStart}, {(long)rowStart + rowCount}) run past the {totalRows} rows of the matrix.");
        }

        if (length < (long)rowCount * columns)
        {
            throw new ArgumentException($"{name} holds {length} values; {rowCount} rows of {columns} columns need {(long)rowCount * columns}.", name);
        }
    }

    private static int CheckTranspose(int length, int channels, int plane, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plane);
        if (length % ((long)channels * plane) != 0)
        {
            throw new ArgumentException($"{name} holds {length} values, not a whole number of [{channels}, {plane}] images.", name);
        }

        return length / channels;
    }

    private static void CheckExact(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} holds {length} values; the images hold {expected}.", name);
        }
    }
}
