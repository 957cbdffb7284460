namespace Latent.Tensors;

/// <summary>
/// The sizes of a 2-D convolution or pooling window sliding over a batch of NCHW images: the input
/// [N, C, H, W], the kernel kh × kw, the stride sh × sw and the zero padding ph × pw, with the output and
/// im2col sizes they give.
/// </summary>
/// <remarks>
/// Hₒ = ⌊(H + 2·ph − kh) / sh⌋ + 1 and Wₒ = ⌊(W + 2·pw − kw) / sw⌋ + 1. The im2col matrix has
/// <see cref="Rows"/> = N·Hₒ·Wₒ rows, one per output pixel (r = (n·Hₒ + oy)·Wₒ + ox), and
/// <see cref="Columns"/> = C·kh·kw columns (q = (c·kh + ky)·kw + kx), holding
/// x[n, c, oy·sh − ph + ky, ox·sw − pw + kx], or 0 where that falls in the padding.
/// </remarks>
public readonly record struct ConvolutionGeometry
{
    /// <summary>Creates a geometry; every size must be positive, the padding non-negative, and the padded image at least as large as the kernel.</summary>
    public ConvolutionGeometry(
        int images, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingWidth);
        if ((long)height + (2L * paddingHeight) < kernelHeight || (long)width + (2L * paddingWidth) < kernelWidth)
        {
            string padding = paddingHeight == paddingWidth ? $"{paddingHeight}" : $"{paddingHeight}×{paddingWidth}";
            throw new ArgumentException(
                $"A {kernelHeight}×{kernelWidth} kernel with padding {padding} does not fit a {height}×{width} image.");
        }

        Images = images;
        Channels = channels;
        Height = height;
        Width = width;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PaddingHeight = paddingHeight;
        PaddingWidth = paddingWidth;
        OutputHeight = (int)((height + (2L * paddingHeight) - kernelHeight) / strideHeight) + 1;
        OutputWidth = (int)((width + (2L * paddingWidth) - kernelWidth) / strideWidth) + 1;
        CheckFits((long)images * channels * height * width, "input");
        CheckFits((long)images * OutputHeight * OutputWidth, "im2col rows");
        CheckFits((long)channels * kernelHeight * kernelWidth, "im2col columns");
        CheckFits((long)images * channels * OutputHeight * OutputWidth, "output");
    }

    /// <summary>A square kernel with the same stride and padding along both axes.</summary>
    public static ConvolutionGeometry Square(int images, int channels, int height, int width, int kernel, int stride = 1, int padding = 0) =>
        new(images, channels, height, width, kernel, kernel, stride, stride, padding, padding);

    /// <summary>N, the images in the batch.</summary>
    public int Images { get; }

    /// <summary>C, the input channels.</summary>
    public int Channels { get; }

    /// <summary>H, the input height.</summary>
    public int Height { get; }

    /// <summary>W, the input width.</summary>
    public int Width { get; }

    /// <summary>kh.</summary>
    public int KernelHeight { get; }

    /// <summary>kw.</summary>
    public int KernelWidth { get; }

    /// <summary>sh.</summary>
    public int StrideHeight { get; }

    /// <summary>sw.</summary>
    public int StrideWidth { get; }

    /// <summary>ph, zero rows added above and below.</summary>
    public int PaddingHeight { get; }

    /// <summary>pw, zero columns added left and right.</summary>
    public int PaddingWidth { get; }

    /// <summary>Hₒ = ⌊(H + 2·ph − kh) / sh⌋ + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>Wₒ = ⌊(W + 2·pw − kw) / sw⌋ + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>H·W, the values in one input plane.</summary>
    public int InputPlane => Height * Width;

    /// <summary>Hₒ·Wₒ, the values in one output plane (the output pixels of one image).</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>N·C·H·W, the values in the input.</summary>
    public int InputSize => Images * Channels * Height * Width;

    /// <summary>N·Hₒ·Wₒ, the rows of the im2col matrix (one per output pixel).</summary>
    public int Rows => Images * OutputHeight * OutputWidth;

    /// <summary>K = C·kh·kw, the columns of the im2col matrix (one per kernel tap).</summary>
    public int Columns => Channels * KernelHeight * KernelWidth;

    /// <summary>N·C·Hₒ·Wₒ, the values in a pooled output (one output plane per input channel).</summary>
    public int PooledSize => Images * Channels * OutputHeight * OutputWidth;

    /// <summary>The same window over a batch of <paramref name="images"/> images.</summary>
    public ConvolutionGeometry WithImages(int images) =>
        new(images, Channels, Height, Width, KernelHeight, KernelWidth, StrideHeight, StrideWidth, PaddingHeight, PaddingWidth);

    /// <inheritdoc/>
    public override string ToString() =>
        $"[{Images}, {Channels}, {Height}, {Width}] with a {KernelHeight}×{KernelWidth} kernel, stride {StrideHeight}×{StrideWidth}, " +
        $"padding {PaddingHeight}×{PaddingWidth} → {OutputHeight}×{OutputWidth}";

    private void CheckFits(long size, string what)
    {
        if (size > int.MaxValue)
        {
            throw new ArgumentException($"The {what} of a convolution over [{Images}, {Channels}, {Height}, {Width}] would hold {size} values, more than a span can index.");
        }
    }
}
