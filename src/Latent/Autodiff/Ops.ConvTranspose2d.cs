using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The fused 2-D transposed convolution y = f(convᵀ(x, W) + b) over NCHW images: the adjoint of the
    /// convolution whose input is y and whose output is x, as PyTorch's <c>conv_transpose2d</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Hₒ = (H − 1)·sh − 2·ph + kh + outputPadding (and likewise Wₒ);
    /// y[n, o, i·sh − ph + u, j·sw − pw + v] += W[c, o, u, v]·x[n, c, i, j] for every position inside y, then
    /// y = f(y + b[o]). Lowering: rows = x as NHWC [N·H·W, Cin]; cols = rows·W [N·H·W, Cout·kh·kw]
    /// (<see cref="GemmForm.AB"/>, W [Cin, Cout·kh·kw] through a reshape); y = col2im(cols) for the convolution of
    /// y's shape with this window, then the bias and activation per channel in one pass.
    /// </para>
    /// <para>
    /// Backward, with gz = gy ⊙ f′(y) (written through y) and G = im2col(gz) [N·H·W, Cout·kh·kw]:
    /// ∂b += Σ_{n, i, j} gz (per channel, in double), ∂x += G·Wᵀ (<see cref="GemmForm.ABt"/>, NHWC, then
    /// transposed to NCHW), ∂W += rowsᵀ·G (<see cref="GemmForm.AtB"/>). The forward keeps rows (as many floats
    /// as x) for ∂W. Results are bitwise the same for any thread count.
    /// </para>
    /// </remarks>
    /// <param name="x">Images [N, Cin, H, W].</param>
    /// <param name="weight">Kernels [Cin, Cout, kh, kw] (PyTorch's layout).</param>
    /// <param name="bias">Bias [Cout], or null.</param>
    /// <param name="settings">Kernel size (must match the weight's), stride and padding.</param>
    /// <param name="outputPadding">Rows and columns added at the bottom and right of the output, 0 ≤ outputPadding &lt; stride.</param>
    /// <param name="activation">The activation f.</param>
    /// <param name="leakySlope">The slope of a leaky relu.</param>
    /// <returns>y [N, Cout, Hₒ, Wₒ].</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message names them.</exception>
    public static Var ConvTranspose2d(
        Var x, Var weight, Var? bias, ConvSettings settings, int outputPadding = 0,
        Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        CheckLeakySlope(activation, leakySlope);
        CheckActivation(activation);
        var tape = Tape.Of(x, weight, bias);
        var geometry = ConvTranspose2dGeometry(x.Value, weight.Value, bias?.Value, settings, outputPadding);
        int inputs = x.Value.Dim(1), pixels = geometry.Rows, k = geometry.Columns;

        var rows = tape.Pool.Rent(pixels, inputs);
        ConvolutionPasses.NchwToNhwc(x.Value, rows, inputs, geometry.OutputPlane);
        var cols = tape.Pool.Rent(pixels, k);
        Gemm.Multiply(GemmForm.AB, pixels, k, inputs, 1f, rows.Span, inputs, weight.Value.Span, k, 0f, cols.Span, k);
        var y = tape.Pool.Rent([geometry.Images, geometry.Channels, geometry.Height, geometry.Width]);
        ConvolutionPasses.Col2Im(geometry, cols, y, accumulate: false, bias?.Value, activation, leakySlope);
        cols.Dispose();

        var node = tape.Record(ConvTranspose2dBackward.Instance, y, x, weight, bias);
        node.Activation = activation;
        node.Scalar = leakySlope;
        node.Convolution = settings;
        node.Integer = outputPadding;
        if (node.Op is not null && weight.RequiresGrad)
        {
            Tape.Save(node, rows);
        }
        else
        {
            rows.Dispose();
        }

        return node;
    }

    /// <summary>
    /// The output shape of a <see cref="ConvTranspose2d"/> of an image of <paramref name="input"/> by a weight
    /// [<paramref name="inputs"/>, <paramref name="outputs"/>, kh, kw]; throws as the op does.
    /// </summary>
    internal static ImageShape ConvTranspose2dOutput(ImageShape input, int inputs, int outputs, ConvSettings settings, int outputPadding)
    {
        (int height, int width) = ConvTranspose2dSizes(
            null, input, new ConvWeight(inputs, outputs, settings.KernelHeight, settings.KernelWidth), inputs, settings, outputPadding);
        return new ImageShape(outputs, height, width);
    }

    /// <summary>The geometry of the convolution from y's shape to x's (whose adjoint this op is), checking every shape.</summary>
    private static ConvolutionGeometry ConvTranspose2dGeometry(Tensor x, Tensor weight, Tensor? bias, ConvSettings settings, int outputPadding)
    {
        CheckSettings("ConvTranspose2d", settings);
        if (x.Rank != 4)
        {
            throw new ArgumentException($"ConvTranspose2d: the input {FormatShape(x)} is not a batch of images [N, C, H, W].", nameof(x));
        }

        if (weight.Rank != 4)
        {
            throw new ArgumentException($"ConvTranspose2d: the weight {FormatShape(weight)} is not [in, out, kh, kw].", nameof(weight));
        }

        (int height, int width) = ConvTranspose2dSizes(
            x, new ImageShape(x.Dim(1), x.Dim(2), x.Dim(3)),
            new ConvWeight(weight.Dim(0), weight.Dim(1), weight.Dim(2), weight.Dim(3)), weight.Dim(0), settings, outputPadding);
        int outputs = weight.Dim(1);
        CheckBias("ConvTranspose2d", bias, outputs, weight);
        var geometry = new ConvolutionGeometry(
            x.Dim(0), outputs, height, width, settings.KernelHeight, settings.KernelWidth,
            settings.StrideHeight, settings.StrideWidth, settings.PaddingHeight, settings.PaddingWidth);
        if (geometry.OutputHeight != x.Dim(2) || geometry.OutputWidth != x.Dim(3))
        {
            throw new InvalidOperationException($"ConvTranspose2d: the adjoint geometry {geometry} does not give the input {FormatShape(x)}.");
        }

        return geometry;
    }

    /// <summary>Hₒ and Wₒ of a transposed convolution, or an error naming the input and the weight.</summary>
    private static (int Height, int Width) ConvTranspose2dSizes(
        Tensor? x, ImageShape input, ConvWeight weight, int weightInputs, ConvSettings settings, int outputPadding)
    {
        const string Op = "ConvTranspose2d";
        int height = input.Height, width = input.Width, kernelHeight = settings.KernelHeight, kernelWidth = settings.KernelWidth;
        if (input.Channels != weightInputs)
        {
            throw new ArgumentException($"{Op}: {InputText(x, input)} has {input.Channels} channels; the weight {weight} takes {weightInputs}.", "weight");
        }

        if (weight.KernelHeight != kernelHeight || weight.KernelWidth != kernelWidth)
        {
            throw new ArgumentException(
                $"{Op}: the weight {weight} holds {weight.KernelHeight}×{weight.KernelWidth} kernels but the settings ask for {kernelHeight}×{kernelWidth}.", "settings");
        }

        if (outputPadding < 0 || outputPadding >= settings.StrideHeight || outputPadding >= settings.StrideWidth)
        {
            throw new ArgumentOutOfRangeException(
                nameof(outputPadding), outputPadding,
                $"{Op}: the output padding must be at least 0 and smaller than the stride ({settings.StrideHeight}×{settings.StrideWidth}).");
        }

        long outHeight = ((long)(height - 1) * settings.StrideHeight) - (2L * settings.PaddingHeight) + kernelHeight + outputPadding;
        long outWidth = ((long)(width - 1) * settings.StrideWidth) - (2L * settings.PaddingWidth) + kernelWidth + outputPadding;
        if (outHeight < 1 || outWidth < 1)
        {
            throw new ArgumentException(
                $"{Op}: a {settings} window with output padding {outputPadding} gives an empty output ({outHeight}×{outWidth}) for the {height}×{width} images of {InputText(x, input)}.", "x");
        }

        if (outHeight > int.MaxValue || outWidth > int.MaxValue)
        {
            throw new ArgumentException($"{Op}: the output of {InputText(x, input)} would be {outHeight}×{outWidth}, too large.", "x");
        }

        return ((int)outHeight, (int)outWidth);
    }

    private sealed class ConvTranspose2dBackward : IBackward
    {
        public static readonly ConvTranspose2dBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var weight = node.B!;
            var bias = node.C;
            var gy = node.Grad!;
            var settings = node.Convolution;
            var xs = x.Value;
            var ys = node.Value;
            var geometry = new ConvolutionGeometry(
                ys.Dim(0), ys.Dim(1), ys.Dim(2), ys.Dim(3), settings.KernelHeight, settings.KernelWidth,
                settings.StrideHeight, settings.StrideWidth, settings.PaddingHeight, settings.PaddingWidth);
            int inputs = xs.Dim(1), pixels = geometry.Rows, k = geometry.Columns;

            // The node's own gradient is not needed after this, so f′ is applied in place.
            ActivationKernels.Backward(node.Activation, ys.Span, gy.Span, gy.Span, node.Scalar);
            if (bias is not null)
            {
                var db = tape.GradBuffer(bias, out float betaB);
                if (db is not null)
                {
                    ChannelSumsInto(gy, geometry.Images, geometry.Channels, geometry.InputPlane, db.Span, betaB);
                }
            }

            var dw = tape.GradBuffer(weight, out float betaW);
            var dx = tape.GradBuffer(x, out float betaX);
            if (dw is null && dx is null)
            {
                return;
            }

            var cols = tape.Pool.Rent(pixels, k);
            ConvolutionPasses.Im2Col(geometry, gy, cols);
            if (dw is not null)
            {
                var rows = node.Saved!;
                Gemm.Multiply(GemmForm.AtB, inputs, k, pixels, 1f, rows.Span, inputs, cols.Span, k, betaW, dw.Span, k);
            }

            if (dx is not null)
            {
                var rows = tape.Pool.Rent(pixels, inputs);
                Gemm.Multiply(GemmForm.ABt, pixels, inputs, k, 1f, cols.Span, k, weight.Value.Span, k, 0f, rows.Span, inputs);
                if (betaX == 0f)
                {
                    ConvolutionPasses.NhwcToNchw(rows, dx, inputs, geometry.OutputPlane);
                }
                else
                {
                    var images = tape.Pool.RentLike(dx);
                    ConvolutionPasses.NhwcToNchw(rows, images, inputs, geometry.OutputPlane);
                    TensorPrimitives.Add(dx.Span, images.Span, dx.Span);
                    images.Dispose();
                }

                rows.Dispose();
            }

            cols.Dispose();
        }
    }
}
