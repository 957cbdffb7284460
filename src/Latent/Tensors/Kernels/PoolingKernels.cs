namespace Latent.Tensors.Kernels;

/// <summary>Max pooling and nearest-neighbour upsampling over NCHW images, forward and backward.</summary>
internal static class PoolingKernels
{
    /// <summary>
    /// y[n, c, oy, ox] = max of x[n, c, ·, ·] over the window of output pixel (oy, ox), and argmax its index
    /// iy·W + ix in the input plane.
    /// </summary>
    /// <remarks>
    /// The window is rows oy·sh − ph … + kh − 1 and columns ox·sw − pw … + kw − 1, clipped to the image (the
    /// padding is never the maximum). As in PyTorch: windows are scanned row by row, a value replaces the
    /// maximum when it is greater (so ties go to the first) or NaN (so NaN propagates); the padding must be at
    /// most half the kernel, so that every window holds at least one pixel.
    /// </remarks>
    /// <param name="geometry">The sizes: C is the channels, each pooled on its own.</param>
    /// <param name="x">The input [N, C, H, W].</param>
    /// <param name="y">The output [N, C, Hₒ, Wₒ].</param>
    /// <param name="argmax">[N, C, Hₒ, Wₒ]: the index in the input plane of each maximum.</param>
    public static void MaxPool2dForward(in ConvolutionGeometry geometry, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        CheckPooling(geometry);
        CheckLength(x.Length, geometry.InputSize, "the input", nameof(x));
        CheckLength(y.Length, geometry.PooledSize, "the pooled output", nameof(y));
        CheckLength(argmax.Length, geometry.PooledSize, "the pooled output", nameof(argmax));
        int h = geometry.Height, w = geometry.Width, inPlane = geometry.InputPlane, outPlane = geometry.OutputPlane;
        int outH = geometry.OutputHeight, outW = geometry.OutputWidth;
        for (int p = 0, planes = geometry.Images * geometry.Channels; p < planes; p++)
        {
            ReadOnlySpan<float> xs = x.Slice(p * inPlane, inPlane);
            Span<float> ys = y.Slice(p * outPlane, outPlane);
            Span<int> indices = argmax.Slice(p * outPlane, outPlane);
            for (int oy = 0; oy < outH; oy++)
            {
                int y0 = (oy * geometry.StrideHeight) - geometry.PaddingHeight;
                int y1 = Math.Min(y0 + geometry.KernelHeight, h);
                y0 = Math.Max(y0, 0);
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = (ox * geometry.StrideWidth) - geometry.PaddingWidth;
                    int x1 = Math.Min(x0 + geometry.KernelWidth, w);
                    x0 = Math.Max(x0, 0);
                    int best = (y0 * w) + x0;
                    float max = float.NegativeInfinity;
                    for (int iy = y0; iy < y1; iy++)
                    {
                        ReadOnlySpan<float> run = xs.Slice((iy * w) + x0, x1 - x0);
                        for (int i = 0; i < run.Length; i++)
                        {
                            float v = run[i];
                            if (v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = (iy * w) + x0 + i;
                            }
                        }
                    }

                    ys[(oy * outW) + ox] = max;
                    indices[(oy * outW) + ox] = best;
                }
            }
        }
    }

    /// <summary>
    /// dx[n, c, argmax[n, c, oy, ox]] += gy[n, c, oy, ox]: each output gradient goes to the input pixel that was
    /// the maximum of its window, in increasing output order (deterministic). With <paramref name="accumulate"/>
    /// false, dx is cleared first.
    /// </summary>
    public static void MaxPool2dBackward(in ConvolutionGeometry geometry, ReadOnlySpan<float> gy, ReadOnlySpan<int> argmax, Span<float> dx, bool accumulate)
    {
        CheckLength(gy.Length, geometry.PooledSize, "the pooled output", nameof(gy));
        CheckLength(argmax.Length, geometry.PooledSize, "the pooled output", nameof(argmax));
        CheckLength(dx.Length, geometry.InputSize, "the input", nameof(dx));
        if (!accumulate)
        {
            dx.Clear();
        }

        int inPlane = geometry.InputPlane, outPlane = geometry.OutputPlane;
        for (int p = 0, planes = geometry.Images * geometry.Channels; p < planes; p++)
        {
            Span<float> ds = dx.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> gs = gy.Slice(p * outPlane, outPlane);
            ReadOnlySpan<int> indices = argmax.Slice(p * outPlane, outPlane);
            for (int i = 0; i < outPlane; i++)
            {
                int index = indices[i];
                if ((uint)index >= (uint)inPlane)
                {
                    throw new ArgumentException($"argmax holds {index} at {(p * outPlane) + i}; an index into a {geometry.Height}×{geometry.Width} plane lies in [0, {inPlane}).", nameof(argmax));
                }

                ds[index] += gs[i];
            }
        }
    }

    /// <summary>y[p, iy·f + a, ix·f + b] = x[p, iy, ix] for a, b in [0, f): each pixel of each plane becomes an f × f block.</summary>
    /// <param name="x">The input, <paramref name="planes"/> planes (N·C) of height × width.</param>
    /// <param name="planes">N·C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="factor">f, the scale along both axes.</param>
    /// <param name="y">The output, planes of (f·H) × (f·W).</param>
    public static void UpsampleNearestForward(ReadOnlySpan<float> x, int planes, int height, int width, int factor, Span<float> y)
    {
        CheckUpsample(x.Length, planes, height, width, factor, y.Length, nameof(y));
        int outW = width * factor;
        for (int p = 0; p < planes; p++)
        {
            for (int iy = 0; iy < height; iy++)
            {
                ReadOnlySpan<float> source = x.Slice(((p * height) + iy) * width, width);
                Span<float> first = y.Slice(((p * height) + iy) * factor * outW, outW);
                for (int ix = 0; ix < width; ix++)
                {
                    first.Slice(ix * factor, factor).Fill(source[ix]);
                }

                for (int a = 1; a < factor; a++)
                {
                    first.CopyTo(y.Slice(((((p * height) + iy) * factor) + a) * outW, outW));
                }
            }
        }
    }

    /// <summary>
    /// dx[p, iy, ix] (+)= Σ_a Σ_b gy[p, iy·f + a, ix·f + b]: the adjoint of
    /// <see cref="UpsampleNearestForward"/>. Each block is summed in float, a outer and b inner, then added to dx
    /// (or written, when <paramref name="accumulate"/> is false).
    /// </summary>
    public static void UpsampleNearestBackward(ReadOnlySpan<float> gy, int planes, int height, int width, int factor, Span<float> dx, bool accumulate)
    {
        CheckUpsample(dx.Length, planes, height, width, factor, gy.Length, nameof(gy));
        int outW = width * factor;
        for (int p = 0; p < planes; p++)
        {
            for (int iy = 0; iy < height; iy++)
            {
                Span<float> d = dx.Slice(((p * height) + iy) * width, width);
                ReadOnlySpan<float> block = gy.Slice(((p * height) + iy) * factor * outW, factor * outW);
                for (int ix = 0; ix < width; ix++)
                {
                    float sum = 0f;
                    for (int a = 0; a < factor; a++)
                    {
                        ReadOnlySpan<float> run = block.Slice((a * outW) + (ix * factor), factor);
                        for (int b = 0; b < run.Length; b++)
                        {
                            sum += run[b];
                        }
                    }

                    d[ix] = accumulate ? d[ix] + sum : sum;
                }
            }
        }
    }

    private static void CheckPooling(in ConvolutionGeometry geometry)
    {
        if (2 * geometry.PaddingHeight > geometry.KernelHeight || 2 * geometry.PaddingWidth > geometry.KernelWidth)
        {
            throw new ArgumentException(
                $"Max pooling with a {geometry.KernelHeight}×{geometry.KernelWidth} window takes padding at most half the window; " +
                $"the padding is {geometry.PaddingHeight}×{geometry.PaddingWidth}.", nameof(geometry));
        }
    }

    private static void CheckLength(int length, int expected, string what, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} holds {length} values; {what} has {expected}.", name);
        }
    }

    private static void CheckUpsample(int smallLength, int planes, int height, int width, int factor, int largeLength, string largeName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(planes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        long small = (long)planes * height * width, large = small * factor * factor;
        if (smallLength != small)
        {
            throw new ArgumentException($"The images hold {smallLength} values; {planes} planes of {height}×{width} need {small}.");
        }

        if (largeLength != large)
        {
            throw new ArgumentException(
                $"{largeName} holds {largeLength} values; {planes} planes of {height * (long)factor}×{width * (long)factor} need {large}.", largeName);
        }
    }
}
