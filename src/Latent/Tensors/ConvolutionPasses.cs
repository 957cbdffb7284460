using Latent.Tensors.Kernels;

namespace Latent.Tensors;

/// <summary>
/// The memory-bound passes of a lowered convolution (im2col, col2im, the NHWC ↔ NCHW transposes, the per-channel
/// bias and activation of a transposed convolution) run in parallel over row or image ranges by
/// <see cref="RowBlocks.ForEachRange(int, int, Action{int, int})"/>, without allocating.
/// </summary>
/// <remarks>
/// Every pass writes disjoint parts of its output per range and computes each value in the same way whatever the
/// split, so the results are bitwise the same for any thread count. A pass needs its operands in fields (a
/// delegate cannot capture spans), so each calling thread keeps one instance with its delegate made once: after
/// the first call on a thread a pass allocates nothing.
/// </remarks>
internal sealed class ConvolutionPasses
{
    /// <summary>About this many floats written make a range worth a thread of its own.</summary>
    private const int GrainFloats = 32 * 1024;

    [ThreadStatic]
    private static ConvolutionPasses? s_instance;

    private readonly Action<int, int> _body;
    private Pass _pass;
    private ConvolutionGeometry _geometry;
    private Tensor? _a;
    private Tensor? _b;
    private Tensor? _bias;
    private int _channels;
    private int _plane;
    private Activation _activation;
    private float _leakySlope;

    private ConvolutionPasses() => _body = Run;

    private enum Pass
    {
        Im2Col,
        Col2Im,
        ToNchw,
        ToNhwc,
    }

    private static ConvolutionPasses Instance => s_instance ??= new ConvolutionPasses();

    /// <summary>cols [N·Hₒ·Wₒ, K] = the im2col matrix of x [N, C, H, W].</summary>
    public static void Im2Col(in ConvolutionGeometry geometry, Tensor x, Tensor cols)
    {
        var pass = Instance;
        pass._pass = Pass.Im2Col;
        pass._geometry = geometry;
        pass.Start(x, cols, geometry.Rows, GrainFloats / geometry.Columns);
    }

    /// <summary>
    /// image = col2im(cols) (or image += col2im(cols) when <paramref name="accumulate"/>), then, when
    /// <paramref name="bias"/> is given or <paramref name="activation"/> is not the identity, image = f(image + b[c]).
    /// </summary>
    /// <param name="geometry">The convolution whose input is <paramref name="image"/>.</param>
    /// <param name="cols">[N·Hₒ·Wₒ, K].</param>
    /// <param name="image">[N, C, H, W].</param>
    /// <param name="accumulate">Whether to add to image (else it is overwritten).</param>
    /// <param name="bias">[C], or null.</param>
    /// <param name="activation">Applied after the bias.</param>
    /// <param name="leakySlope">The slope of a leaky relu.</param>
    public static void Col2Im(
        in ConvolutionGeometry geometry, Tensor cols, Tensor image, bool accumulate,
        Tensor? bias = null, Activation activation = Activation.Identity, float leakySlope = ActivationKernels.DefaultLeakySlope)
    {
        var pass = Instance;
        pass._pass = Pass.Col2Im;
        pass._geometry = geometry;
        pass._bias = bias;
        pass._activation = activation;
        pass._leakySlope = leakySlope;
        pass._channels = accumulate ? 1 : 0;
        pass.Start(cols, image, geometry.Images, Math.Max(1, GrainFloats / Math.Max(1, geometry.OutputPlane * geometry.Columns)));
    }

    /// <summary>nchw [N, C, P] = rows [N·P, C].</summary>
    public static void NhwcToNchw(Tensor rows, Tensor nchw, int channels, int plane)
    {
        var pass = Instance;
        pass._pass = Pass.ToNchw;
        pass._channels = channels;
        pass._plane = plane;
        pass.Start(rows, nchw, rows.Length / channels, GrainFloats / channels);
    }

    /// <summary>rows [N·P, C] = nchw [N, C, P].</summary>
    public static void NchwToNhwc(Tensor nchw, Tensor rows, int channels, int plane)
    {
        var pass = Instance;
        pass._pass = Pass.ToNhwc;
        pass._channels = channels;
        pass._plane = plane;
        pass.Start(nchw, rows, rows.Length / channels, GrainFloats / channels);
    }

    private void Start(Tensor a, Tensor b, int units, int grain)
    {
        _a = a;
        _b = b;
        try
        {
            RowBlocks.ForEachRange(units, Math.Max(1, grain), _body);
        }
        finally
        {
            _a = _b = _bias = null;
        }
    }

    private void Run(int start, int end)
    {
        int count = end - start;
        if (count <= 0)
        {
            return;
        }

        switch (_pass)
        {
            case Pass.Im2Col:
                {
                    int k = _geometry.Columns;
                    ConvolutionKernels.Im2Col(_geometry, _a!.Span, _b!.Span.Slice(start * k, count * k), start, count);
                    break;
                }

            case Pass.Col2Im:
                {
                    int rowsPerImage = _geometry.OutputPlane * _geometry.Columns;
                    int imageSize = _geometry.Channels * _geometry.InputPlane;
                    var image = _b!.Span;
                    if (_channels == 0)
                    {
                        image.Slice(start * imageSize, count * imageSize).Clear();
                    }

                    ConvolutionKernels.Col2ImAddImages(_geometry, _a!.Span.Slice(start * rowsPerImage, count * rowsPerImage), image, start, count);
                    if (_bias is not null || _activation != Activation.Identity)
                    {
                        BiasActivation(image.Slice(start * imageSize, count * imageSize), count);
                    }

                    break;
                }

            case Pass.ToNchw:
                ConvolutionKernels.NhwcToNchw(_a!.Span.Slice(start * _channels, count * _channels), _b!.Span, _channels, _plane, start, count);
                break;

            default:
                ConvolutionKernels.NchwToNhwc(_a!.Span, _b!.Span.Slice(start * _channels, count * _channels), _channels, _plane, start, count);
                break;
        }
    }

    /// <summary>images = f(images + b[c]) plane by plane.</summary>
    private void BiasActivation(Span<float> images, int count)
    {
        int channels = _geometry.Channels, plane = _geometry.InputPlane;
        if (_bias is not null)
        {
            var bias = _bias.Span;
            for (int n = 0; n < count; n++)
            {
                for (int c = 0; c < channels; c++)
                {
                    var p = images.Slice(((n * channels) + c) * plane, plane);
                    TensorPrimitives.Add(p, bias[c], p);
                }
            }
        }

        ActivationKernels.Apply(_activation, images, _leakySlope);
    }
}
