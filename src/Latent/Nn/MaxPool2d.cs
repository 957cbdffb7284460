using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>2-D max pooling of NCHW images (PyTorch's nn.MaxPool2d): each output pixel is the maximum of its window.</summary>
/// <remarks>
/// See <see cref="Ops.MaxPool2d"/>. The output of an H × W image is Hₒ × Wₒ with
/// Hₒ = ⌊(H + 2·p − k) / s⌋ + 1 (and Wₒ likewise); the channels are pooled one by one. No parameters.
/// </remarks>
public sealed class MaxPool2d : Module
{
    /// <summary>A k × k window moving by k (non-overlapping), as PyTorch's default stride.</summary>
    public MaxPool2d(int kernel)
        : this(kernel, kernel)
    {
    }

    /// <summary>A k × k window moving by <paramref name="stride"/>, no padding.</summary>
    public MaxPool2d(int kernel, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        Window = ConvSettings.Square(kernel, stride);
    }

    /// <summary>Any window (kernel, stride and padding per axis; the padding at most half the kernel).</summary>
    public MaxPool2d(ConvSettings window)
    {
        if (window.KernelHeight == 0)
        {
            throw new ArgumentException("MaxPool2d needs a window; this one is empty (default).", nameof(window));
        }

        if (2 * window.PaddingHeight > window.KernelHeight || 2 * window.PaddingWidth > window.KernelWidth)
        {
            throw new ArgumentException($"MaxPool2d: a {Ops.DescribeWindow(window)} takes padding at most half the window.", nameof(window));
        }

        Window = window;
    }

    /// <summary>The window: kernel, stride and padding.</summary>
    public ConvSettings Window { get; }

    /// <summary>The output image for an input image of <paramref name="input"/>: the same channels, pooled height and width.</summary>
    /// <exception cref="ArgumentException">The window does not fit the image, e.g. "MaxPool2d: a 2×2 window with stride 2 does not fit a 1×1 image".</exception>
    public ImageShape OutputShape(ImageShape input)
    {
        if (input.Size == 0)
        {
            throw new ArgumentException("MaxPool2d needs an image shape; this one is empty (default).", nameof(input));
        }

        Ops.CheckPoolingWindow(Window, input.Height, input.Width);
        return Window.Output(input, input.Channels);
    }

    /// <summary>The pooled images [N, C, Hₒ, Wₒ] of x [N, C, H, W].</summary>
    public override Var Forward(Var x) => Ops.MaxPool2d(x, Window);

    /// <inheritdoc/>
    protected override string Describe() => $"{Window}";
}
