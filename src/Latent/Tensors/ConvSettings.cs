namespace Latent.Tensors;

/// <summary>
/// The window of a 2-D convolution or pooling: kernel size, stride and zero padding along height and width.
/// </summary>
/// <remarks>
/// An immutable value of a handful of ints, so an op keeps it in its node (<c>Var.Convolution</c>) without
/// allocating. Along each axis the output has ⌊(input + 2·padding − kernel) / stride⌋ + 1 positions.
/// </remarks>
public readonly record struct ConvSettings
{
    /// <summary>Creates the settings; kernel and stride must be positive, padding not negative.</summary>
    public ConvSettings(int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1, int paddingHeight = 0, int paddingWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingWidth);
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        PaddingHeight = paddingHeight;
        PaddingWidth = paddingWidth;
    }

    /// <summary>A square kernel with the same stride and padding along both axes.</summary>
    public static ConvSettings Square(int kernel, int stride = 1, int padding = 0) => new(kernel, kernel, stride, stride, padding, padding);

    /// <summary>The kernel's height.</summary>
    public int KernelHeight { get; }

    /// <summary>The kernel's width.</summary>
    public int KernelWidth { get; }

    /// <summary>The step between windows down the rows.</summary>
    public int StrideHeight { get; }

    /// <summary>The step between windows along a row.</summary>
    public int StrideWidth { get; }

    /// <summary>Zero rows added above and below.</summary>
    public int PaddingHeight { get; }

    /// <summary>Zero columns added left and right.</summary>
    public int PaddingWidth { get; }

    /// <summary>The output's shape for an input image of <paramref name="input"/> and <paramref name="outputChannels"/> channels.</summary>
    /// <exception cref="ArgumentException">The padded input is smaller than the kernel.</exception>
    public ImageShape Output(ImageShape input, int outputChannels)
    {
        int height = Positions(input.Height, KernelHeight, StrideHeight, PaddingHeight);
        int width = Positions(input.Width, KernelWidth, StrideWidth, PaddingWidth);
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"A {this} window does not fit an input of {input}.", nameof(input));
        }

        return new ImageShape(outputChannels, height, width);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        KernelHeight == KernelWidth && StrideHeight == StrideWidth && PaddingHeight == PaddingWidth
            ? $"{KernelHeight}×{KernelWidth} kernel, stride {StrideHeight}, padding {PaddingHeight}"
            : $"{KernelHeight}×{KernelWidth} kernel, stride {StrideHeight}×{StrideWidth}, padding {PaddingHeight}×{PaddingWidth}";

    private static int Positions(int input, int kernel, int stride, int padding)
    {
        int span = input + (2 * padding) - kernel;
        return span < 0 ? 0 : (span / stride) + 1;
    }
}
