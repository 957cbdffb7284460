using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>2-D max pooling of NCHW images: each output pixel is the maximum of its window, channel by channel.</summary>
    /// <remarks>
    /// y[n, c, oy, ox] = max over the window rows oy·sh − ph … + kh − 1 and columns ox·sw − pw … + kw − 1 of
    /// x[n, c, ·, ·] (clipped to the image; the padding is never the maximum), with Hₒ = ⌊(H + 2·ph − kh) / sh⌋ + 1
    /// and Wₒ likewise. Ties go to the first pixel of the window in row-major order and NaN propagates, as in
    /// PyTorch. The index of each maximum is kept for the backward pass (in a pooled integer buffer):
    /// ∂x[n, c, argmax] += gy[n, c, oy, ox], every other input pixel gets 0.
    /// </remarks>
    /// <param name="x">The images [N, C, H, W].</param>
    /// <param name="window">The window: kernel, stride and padding (at most half the kernel).</param>
    /// <returns>[N, C, Hₒ, Wₒ].</returns>
    /// <exception cref="ArgumentException">x is not of rank 4, or the window does not fit its images.</exception>
    public static Var MaxPool2d(Var x, ConvSettings window)
    {
        ArgumentNullException.ThrowIfNull(x);
        var value = x.Value;
        if (value.Rank != 4)
        {
            throw new ArgumentException($"MaxPool2d: the input {FormatShape(value)} is not a batch of images [N, C, H, W].", nameof(x));
        }

        var geometry = PoolingGeometry(value, window);
        var tape = Tape.Of(x);
        var y = tape.Pool.Rent([geometry.Images, geometry.Channels, geometry.OutputHeight, geometry.OutputWidth]);
        var argmax = tape.Pool.RentIndices(geometry.PooledSize);
        if (PoolingRunsParallel(geometry.Images, geometry.InputSize / geometry.Images, out int grain))
        {
            MaxPoolForwardParallel(geometry, value, y, argmax, grain);
        }
        else
        {
            PoolingKernels.MaxPool2dForward(geometry, value.Span, y.Span, argmax);
        }

        var node = tape.Record(MaxPool2dBackward.Instance, y, x);
        node.Convolution = window;
        tape.SaveIndices(node, argmax);
        return node;
    }

    /// <summary>Nearest-neighbour upsampling of NCHW images by an integer factor along height and width.</summary>
    /// <remarks>
    /// y[n, c, iy·f + a, ix·f + b] = x[n, c, iy, ix] for a, b in [0, f): each pixel becomes an f × f block.
    /// ∂x[n, c, iy, ix] = Σ_a Σ_b gy[n, c, iy·f + a, ix·f + b], the sum over its block. A factor of 1 returns
    /// <paramref name="x"/> itself.
    /// </remarks>
    /// <param name="x">The images [N, C, H, W].</param>
    /// <param name="factor">f ≥ 1.</param>
    /// <returns>[N, C, f·H, f·W].</returns>
    /// <exception cref="ArgumentException">x is not of rank 4, or the output would be too large.</exception>
    public static Var UpsampleNearest(Var x, int factor)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        var value = x.Value;
        if (value.Rank != 4)
        {
            throw new ArgumentException($"UpsampleNearest: the input {FormatShape(value)} is not a batch of images [N, C, H, W].", nameof(x));
        }

        if (factor == 1)
        {
            return x;
        }

        int n = value.Dim(0), c = value.Dim(1), h = value.Dim(2), w = value.Dim(3);
        long outH = (long)h * factor, outW = (long)w * factor;
        if ((long)n * c * outH * outW > int.MaxValue)
        {
            throw new ArgumentException($"UpsampleNearest: {FormatShape(value)} upsampled by {factor} would hold {(long)n * c * outH * outW} values, more than a tensor can.", nameof(factor));
        }

        var tape = Tape.Of(x);
        var y = tape.Pool.Rent([n, c, (int)outH, (int)outW]);
        if (PoolingRunsParallel(n * c, (int)(outH * outW), out int grain))
        {
            UpsampleForwardParallel(value, y, n * c, h, w, factor, grain);
        }
        else
        {
            PoolingKernels.UpsampleNearestForward(value.Span, n * c, h, w, factor, y.Span);
        }

        var node = tape.Record(UpsampleNearestBackward.Instance, y, x);
        node.Integer = factor;
        return node;
    }

    /// <summary>The pooling geometry of <paramref name="window"/> over <paramref name="images"/> [N, C, H, W], with a MaxPool2d error when it does not fit.</summary>
    internal static ConvolutionGeometry PoolingGeometry(Tensor images, ConvSettings window)
    {
        int h = images.Dim(2), w = images.Dim(3);
        CheckPoolingWindow(window, h, w);
        return new ConvolutionGeometry(
            images.Dim(0), images.Dim(1), h, w,
            window.KernelHeight, window.KernelWidth, window.StrideHeight, window.StrideWidth, window.PaddingHeight, window.PaddingWidth);
    }

    /// <summary>Throws a MaxPool2d error naming the window and the image unless the window fits an image of <paramref name="height"/> × <paramref name="width"/>.</summary>
    internal static void CheckPoolingWindow(ConvSettings window, int height, int width)
    {
        if (window.KernelHeight == 0)
        {
            throw new ArgumentException("MaxPool2d needs a window; this one is empty (default).", nameof(window));
        }

        if (2 * window.PaddingHeight > window.KernelHeight || 2 * window.PaddingWidth > window.KernelWidth)
        {
            throw new ArgumentException(
                $"MaxPool2d: a {DescribeWindow(window)} takes padding at most half the window.", nameof(window));
        }

        if ((long)height + (2L * window.PaddingHeight) < window.KernelHeight || (long)width + (2L * window.PaddingWidth) < window.KernelWidth)
        {
            throw new ArgumentException($"MaxPool2d: a {DescribeWindow(window)} does not fit a {height}×{width} image.", nameof(window));
        }
    }

    /// <summary>"2×2 window with stride 2" (and the padding when there is some).</summary>
    internal static string DescribeWindow(ConvSettings window)
    {
        string stride = window.StrideHeight == window.StrideWidth ? $"{window.StrideHeight}" : $"{window.StrideHeight}×{window.StrideWidth}";
        string text = $"{window.KernelHeight}×{window.KernelWidth} window with stride {stride}";
        if (window.PaddingHeight != 0 || window.PaddingWidth != 0)
        {
            text += window.PaddingHeight == window.PaddingWidth ? $" and padding {window.PaddingHeight}" : $" and padding {window.PaddingHeight}×{window.PaddingWidth}";
        }

        return text;
    }

    /// <summary>Whether to split <paramref name="units"/> (images or planes) of <paramref name="size"/> values each over threads, and the fewest units a part takes.</summary>
    private static bool PoolingRunsParallel(int units, int size, out int grain)
    {
        grain = (int)Math.Min(units, (BatchNormGrain + (long)size - 1) / Math.Max(1, size));
        grain = Math.Max(1, grain);
        return Parallelism.MaxThreads > 1 && units >= 2 * grain;
    }

    // The parallel paths, in methods of their own so that their closures are only allocated when the work is
    // split. Images (planes) are independent, so any split gives the same bits.
    private static void MaxPoolForwardParallel(ConvolutionGeometry geometry, Tensor x, Tensor y, int[] argmax, int grain) =>
        RowBlocks.ForEachRange(geometry.Images, grain, (start, end) =>
        {
            int inSize = geometry.InputSize / geometry.Images, outSize = geometry.PooledSize / geometry.Images;
            var part = geometry.WithImages(end - start);
            PoolingKernels.MaxPool2dForward(
                part, x.Span.Slice(start * inSize, part.InputSize), y.Span.Slice(start * outSize, part.PooledSize), argmax.AsSpan(start * outSize, part.PooledSize));
        });

    private static void MaxPoolBackwardParallel(ConvolutionGeometry geometry, Tensor gy, int[] argmax, Tensor dx, bool accumulate, int grain) =>
        RowBlocks.ForEachRange(geometry.Images, grain, (start, end) =>
        {
            int inSize = geometry.InputSize / geometry.Images, outSize = geometry.PooledSize / geometry.Images;
            var part = geometry.WithImages(end - start);
            PoolingKernels.MaxPool2dBackward(
                part, gy.Span.Slice(start * outSize, part.PooledSize), argmax.AsSpan(start * outSize, part.PooledSize), dx.Span.Slice(start * inSize, part.InputSize), accumulate);
        });

    private static void UpsampleForwardParallel(Tensor x, Tensor y, int planes, int h, int w, int factor, int grain) =>
        RowBlocks.ForEachRange(planes, grain, (start, end) =>
        {
            int inSize = h * w, outSize = inSize * factor * factor;
            PoolingKernels.UpsampleNearestForward(x.Span.Slice(start * inSize, (end - start) * inSize), end - start, h, w, factor, y.Span.Slice(start * outSize, (end - start) * outSize));
        });

    private static void UpsampleBackwardParallel(Tensor gy, Tensor dx, int planes, int h, int w, int factor, bool accumulate, int grain) =>
        RowBlocks.ForEachRange(planes, grain, (start, end) =>
        {
            int inSize = h * w, outSize = inSize * factor * factor;
            PoolingKernels.UpsampleNearestBackward(
                gy.Span.Slice(start * outSize, (end - start) * outSize), end - start, h, w, factor, dx.Span.Slice(start * inSize, (end - start) * inSize), accumulate);
        });

    private sealed class MaxPool2dBackward : IBackward
    {
        public static readonly MaxPool2dBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var dx = tape.GradBuffer(x, out float beta);
            if (dx is null)
            {
                return;
            }

            var geometry = PoolingGeometry(x.Value, node.Convolution);
            if (PoolingRunsParallel(geometry.Images, geometry.InputSize / geometry.Images, out int grain))
            {
                MaxPoolBackwardParallel(geometry, node.Grad!, node.Indices!, dx, beta != 0f, grain);
            }
            else
            {
                PoolingKernels.MaxPool2dBackward(geometry, node.Grad!.Span, node.Indices, dx.Span, accumulate: beta != 0f);
            }
        }
    }

    private sealed class UpsampleNearestBackward : IBackward
    {
        public static readonly UpsampleNearestBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var dx = tape.GradBuffer(x, out float beta);
            if (dx is null)
            {
                return;
            }

            var value = x.Value;
            int planes = value.Dim(0) * value.Dim(1), h = value.Dim(2), w = value.Dim(3), factor = node.Integer;
            if (PoolingRunsParallel(planes, h * w * factor * factor, out int grain))
            {
                UpsampleBackwardParallel(node.Grad!, dx, planes, h, w, factor, beta != 0f, grain);
            }
            else
            {
                PoolingKernels.UpsampleNearestBackward(node.Grad!.Span, planes, h, w, factor, dx.Span, accumulate: beta != 0f);
            }
        }
    }
}
