using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The fused 2-D convolution y = f(conv(x, W) + b) over NCHW images, lowered onto one GEMM with the bias and
    /// the activation in its epilogue.
    /// </summary>
    /// <remarks>
    /// <para>
    /// y[n, o, i, j] = f(b[o] + Σ_{c, u, v} W[o, c, u, v]·x[n, c, i·sh − ph + u, j·sw − pw + v]) (zero outside
    /// the image), as PyTorch's <c>conv2d</c> (cross-correlation). Lowering: cols = im2col(x) [N·Hₒ·Wₒ, K] with
    /// K = Cin·kh·kw, rows = f(cols·Wᵀ + b) [N·Hₒ·Wₒ, Cout] in one <see cref="GemmForm.ABt"/> GEMM (NHWC), then
    /// y = rows transposed to NCHW.
    /// </para>
    /// <para>
    /// Backward, with gz = gy ⊙ f′(y) (written through y) as rows G [N·Hₒ·Wₒ, Cout]: ∂W += Gᵀ·cols
    /// (<see cref="GemmForm.AtB"/>), ∂b += Σ_{n, i, j} gz (per channel, summed in double), ∂x += col2im(G·W)
    /// (<see cref="GemmForm.AB"/>). The forward keeps cols (N·Hₒ·Wₒ·K floats) for ∂W and reuses its storage
    /// for G·W. Results are bitwise the same for any thread count.
    /// </para>
    /// </remarks>
    /// <param name="x">Images [N, Cin, H, W].</param>
    /// <param name="weight">Kernels [Cout, Cin, kh, kw] (PyTorch's layout).</param>
    /// <param name="bias">Bias [Cout], or null.</param>
    /// <param name="settings">Kernel size (must match the weight's), stride and padding.</param>
    /// <param name="activation">The activation f.</param>
    /// <param name="leakySlope">The slope of a leaky relu.</param>
    /// <returns>y [N, Cout, Hₒ, Wₒ].</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message names them.</exception>
    public static Var Conv2d(
        Var x, Var weight, Var? bias, ConvSettings settings,
        Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        CheckLeakySlope(activation, leakySlope);
        CheckActivation(activation);
        var tape = Tape.Of(x, weight, bias);
        var geometry = Conv2dGeometry(x.Value, weight.Value, bias?.Value, settings);
        int rows = geometry.Rows, k = geometry.Columns, outputs = weight.Value.Dim(0), plane = geometry.OutputPlane;

        var cols = tape.Pool.Rent(rows, k);
        ConvolutionPasses.Im2Col(geometry, x.Value, cols);
        var nhwc = tape.Pool.Rent(rows, outputs);
        var epilogue = new GemmEpilogue(bias is null ? default : bias.Value.Span, activation, leakySlope);
        Gemm.Multiply(GemmForm.ABt, rows, outputs, k, 1f, cols.Span, k, weight.Value.Span, k, 0f, nhwc.Span, outputs, epilogue);
        var y = tape.Pool.Rent([geometry.Images, outputs, geometry.OutputHeight, geometry.OutputWidth]);
        ConvolutionPasses.NhwcToNchw(nhwc, y, outputs, plane);
        nhwc.Dispose();

        var node = tape.Record(Conv2dBackward.Instance, y, x, weight, bias);
        node.Activation = activation;
        node.Scalar = leakySlope;
        node.Convolution = settings;
        if (node.Op is not null)
        {
            Tape.Save(node, cols);
        }
        else
        {
            cols.Dispose();
        }

        return node;
    }

    /// <summary>
    /// The output shape of a <see cref="Conv2d"/> of an image of <paramref name="input"/> by a weight
    /// [<paramref name="outputs"/>, <paramref name="inputs"/>, kh, kw]; throws as the op does.
    /// </summary>
    internal static ImageShape Conv2dOutput(ImageShape input, int inputs, int outputs, ConvSettings settings)
    {
        (int height, int width) = Conv2dSizes(
            "Conv2d", null, input, new ConvWeight(outputs, inputs, settings.KernelHeight, settings.KernelWidth), inputs, settings);
        return new ImageShape(outputs, height, width);
    }

    /// <summary>The geometry of a convolution of x by weight, checking every shape.</summary>
    private static ConvolutionGeometry Conv2dGeometry(Tensor x, Tensor weight, Tensor? bias, ConvSettings settings)
    {
        CheckSettings("Conv2d", settings);
        if (x.Rank != 4)
        {
            throw new ArgumentException($"Conv2d: the input {FormatShape(x)} is not a batch of images [N, C, H, W].", nameof(x));
        }

        if (weight.Rank != 4)
        {
            throw new ArgumentException($"Conv2d: the weight {FormatShape(weight)} is not [out, in, kh, kw].", nameof(weight));
        }

        int outputs = weight.Dim(0);
        Conv2dSizes(
            "Conv2d", x, new ImageShape(x.Dim(1), x.Dim(2), x.Dim(3)),
            new ConvWeight(weight.Dim(0), weight.Dim(1), weight.Dim(2), weight.Dim(3)), weight.Dim(1), settings);
        CheckBias("Conv2d", bias, outputs, weight);
        return new ConvolutionGeometry(
            x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), settings.KernelHeight, settings.KernelWidth,
            settings.StrideHeight, settings.StrideWidth, settings.PaddingHeight, settings.PaddingWidth);
    }

    /// <summary>Hₒ and Wₒ of a convolution, or an error naming the input and the weight.</summary>
    /// <param name="op">The op's name for messages.</param>
    /// <param name="x">The input batch (named in messages), or null to name <paramref name="input"/>.</param>
    /// <param name="input">One input image.</param>
    /// <param name="weight">The weight's four sizes (named in messages).</param>
    /// <param name="weightInputs">The input channels the weight takes.</param>
    /// <param name="settings">The window.</param>
    private static (int Height, int Width) Conv2dSizes(string op, Tensor? x, ImageShape input, ConvWeight weight, int weightInputs, ConvSettings settings)
    {
        if (input.Channels != weightInputs)
        {
            throw new ArgumentException($"{op}: {InputText(x, input)} has {input.Channels} channels; the weight {weight} takes {weightInputs}.", "weight");
        }

        if (weight.KernelHeight != settings.KernelHeight || weight.KernelWidth != settings.KernelWidth)
        {
            throw new ArgumentException(
                $"{op}: the weight {weight} holds {weight.KernelHeight}×{weight.KernelWidth} kernels but the settings ask for {settings.KernelHeight}×{settings.KernelWidth}.", "settings");
        }

        long spanHeight = (long)input.Height + (2L * settings.PaddingHeight) - settings.KernelHeight;
        long spanWidth = (long)input.Width + (2L * settings.PaddingWidth) - settings.KernelWidth;
        if (spanHeight < 0 || spanWidth < 0)
        {
            throw new ArgumentException($"{op}: a {settings} window does not fit the {input.Height}×{input.Width} images of {InputText(x, input)}.", "x");
        }

        return ((int)(spanHeight / settings.StrideHeight) + 1, (int)(spanWidth / settings.StrideWidth) + 1);
    }

    /// <summary>"input [N, C, H, W]" for a batch, "input C×H×W" for one image.</summary>
    private static string InputText(Tensor? x, ImageShape input) => x is null ? $"input {input}" : $"input {FormatShape(x)}";

    private static void CheckSettings(string op, ConvSettings settings)
    {
        if (settings.KernelHeight == 0)
        {
            throw new ArgumentException($"{op} needs its window (kernel, stride, padding); these settings are empty (default).", nameof(settings));
        }
    }

    private static void CheckActivation(Activation activation)
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    private static void CheckBias(string op, Tensor? bias, int outputs, Tensor weight)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Length != outputs))
        {
            throw new ArgumentException($"{op}: the bias {FormatShape(bias)} does not match the {outputs} output channels of the weight {FormatShape(weight)}; it must be [{outputs}].", "bias");
        }
    }

    /// <summary>db = β·db + Σ_{n, p} g[n, c, p], summed in double in a fixed order.</summary>
    private static void ChannelSumsInto(Tensor g, int images, int channels, int plane, Span<float> db, float beta)
    {
        Span<double> sums = channels <= 256 ? stackalloc double[2 * channels] : new double[2 * channels];
        ChannelReductions.ChannelSums(g.Span, images, channels, plane, sums[..channels], sums[channels..]);
        for (int c = 0; c < channels; c++)
        {
            db[c] = beta == 0f ? (float)sums[c] : db[c] + (float)sums[c];
        }
    }

    private sealed class Conv2dBackward : IBackward
    {
        public static readonly Conv2dBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var weight = node.B!;
            var bias = node.C;
            var gy = node.Grad!;
            var cols = node.Saved!;
            var settings = node.Convolution;
            var xs = x.Value;
            var geometry = new ConvolutionGeometry(
                xs.Dim(0), xs.Dim(1), xs.Dim(2), xs.Dim(3), settings.KernelHeight, settings.KernelWidth,
                settings.StrideHeight, settings.StrideWidth, settings.PaddingHeight, settings.PaddingWidth);
            int rows = geometry.Rows, k = geometry.Columns, outputs = weight.Value.Dim(0), plane = geometry.OutputPlane;

            // The node's own gradient is not needed after this, so f′ is applied in place.
            ActivationKernels.Backward(node.Activation, node.Value.Span, gy.Span, gy.Span, node.Scalar);
            if (bias is not null)
            {
                var db = tape.GradBuffer(bias, out float betaB);
                if (db is not null)
                {
                    ChannelSumsInto(gy, geometry.Images, outputs, plane, db.Span, betaB);
                }
            }

            var dw = tape.GradBuffer(weight, out float betaW);
            var dx = tape.GradBuffer(x, out float betaX);
            if (dw is null && dx is null)
            {
                return;
            }

            var gz = tape.Pool.Rent(rows, outputs);
            ConvolutionPasses.NchwToNhwc(gy, gz, outputs, plane);
            if (dw is not null)
            {
                Gemm.Multiply(GemmForm.AtB, outputs, k, rows, 1f, gz.Span, outputs, cols.Span, k, betaW, dw.Span, k);
            }

            if (dx is not null)
            {
                // cols is not needed any more: it takes ∂cols = G·W.
                Gemm.Multiply(GemmForm.AB, rows, k, outputs, 1f, gz.Span, outputs, weight.Value.Span, k, 0f, cols.Span, k);
                ConvolutionPasses.Col2Im(geometry, cols, dx, accumulate: betaX != 0f);
            }

            gz.Dispose();
        }
    }

    /// <summary>The four sizes of a convolution's weight, formatted only when an error names them.</summary>
    private readonly record struct ConvWeight(int First, int Second, int KernelHeight, int KernelWidth)
    {
        public override string ToString() => $"[{First}, {Second}, {KernelHeight}, {KernelWidth}]";
    }
}
