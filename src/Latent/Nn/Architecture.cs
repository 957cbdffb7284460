using System.Diagnostics;
using System.Globalization;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// The architecture-description language: one compact string per network part (an autoencoder's encoder or
/// decoder hidden layers), parsed into <see cref="LayerSpec"/>s and built into a <see cref="Sequential"/>
/// while tracking the shape that flows through it.
/// </summary>
/// <remarks>
/// <para>Grammar (whitespace around layers is ignored; [ ] marks an optional part):</para>
/// <code>
/// description := "" | "none" | layer ("," layer)*
/// layer       := "fc" units [":" activation]
///              | "conv" channels "k" kernel ["s" stride] ["p" padding] [":" activation]
///              | "deconv" channels "k" kernel ["s" stride] ["p" padding] ["o" output-padding] [":" activation]
///              | "pool" kernel ["s" stride]
///              | "up" factor
///              | "bn" [":" activation]
///              | "flatten"
///              | "unflatten" channels "x" height "x" width
///              | "drop" p
/// activation  := "relu" | "leaky-relu" [slope] | "tanh" | "sigmoid" | "none"
/// </code>
/// <para>
/// <c>fc400</c> is a fully connected (Linear) layer to 400 units followed by the part's hidden activation;
/// <c>fc400:tanh</c> overrides that activation for this layer and <c>fc400:none</c> leaves it linear;
/// <c>:leaky-relu</c> has PyTorch's negative slope 0.01 and <c>:leaky-relu0.2</c> names its own (in [0, 1), the
/// DCGAN discriminator's 0.2). An empty
/// description (or <c>none</c>) has no layers: the part is the identity and its output is its input.
/// </para>
/// <para>
/// <c>conv32k4s2p1</c> is a 2-D convolution (<see cref="Conv2d"/>) to 32 channels with a 4×4 kernel, stride 2
/// and zero padding 1, then the hidden activation; the stride defaults to 1 and the padding to 0 (as in
/// PyTorch). An h×w image becomes ⌊(h + 2p − k)/s⌋ + 1 × ⌊(w + 2p − k)/s⌋ + 1. <c>deconv32k4s2p1</c> is a
/// transposed convolution (<see cref="ConvTranspose2d"/>) with the same fields and an optional output padding
/// <c>o</c> (smaller than the stride; <c>deconv32k3s2p1o1</c>), giving (h − 1)·s − 2p + k + o. <c>pool2</c> is
/// 2×2 max-pooling with stride 2 (<c>pool3s2</c>: a 3×3 window, stride 2); <c>up2</c> repeats every pixel 2×2
/// (nearest-neighbour upsampling); <c>bn</c> is batch normalisation (<see cref="BatchNorm2d"/> per channel on
/// an image, <see cref="BatchNorm1d"/> per feature on features) and applies no activation unless it names one
/// (<c>conv64k3p1:none,bn:relu</c>); <c>flatten</c> turns an image into its c·h·w features and
/// <c>unflatten64x7x7</c> turns 3136 features into a 64×7×7 image (how a decoder goes from its fully connected
/// layers to transposed convolutions). Only the layers with weights (fc, conv, deconv, bn) take an
/// <c>:activation</c>. <c>drop0.5</c> is inverted dropout with p = 0.5 in [0, 1) (a <see cref="Dropout"/> module:
/// active in training, the identity in evaluation; no weights, the shape unchanged).
/// </para>
/// <para>
/// Shapes: a part starts from its input's shape — an image c×h×w when the data has one, else features. The
/// convolution, pooling, upsampling and flatten layers need an image; a fully connected layer reads an image
/// as its c·h·w features (channel-major, the order images are stored in), flattening it. The built network
/// takes its input as an [n, c, h, w] tensor when its first layer needs an image (<see cref="ArchitectureBuild.TakesImage"/>)
/// and as [n, features] otherwise; it outputs [n, c, h, w] when it ends in an image made by a layer, and
/// [n, features] otherwise.
/// </para>
/// <para>
/// The modules are those PyTorch's nn.Sequential would hold: each layer with weights is its module followed
/// by its activation module unless the activation is the identity, and a fully connected layer that receives
/// an [n, c, h, w] tensor is preceded by a <see cref="Flatten"/> module (PyTorch's nn.Flatten), numbered 0, 1,
/// 2, …, so parameters are named "0.weight", "0.bias", "2.weight", … and weights are drawn layer by layer in
/// order. For example <c>conv32k4s2p1,conv64k4s2p1,fc256</c> on 1×28×28 holds Conv2d, ReLU, Conv2d, ReLU,
/// Flatten, Linear, ReLU: parameters 0.*, 2.* and 5.*.
/// </para>
/// <para>
/// Every error is one line naming the part, the layer's position (from 1), its text and the shapes involved,
/// for example <c>encoder layer 3 'conv64k4s2p1': a 4×4 window with stride 2 and padding 1 does not fit a 1×1 image; it receives 32×1×1</c>.
/// </para>
/// </remarks>
public static class Architecture
{
    /// <summary>The activations a layer's <c>:activation</c> suffix may name.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["relu", "leaky-relu", "tanh", "sigmoid", "none"];

    /// <summary>The layer forms, one line each, for help texts.</summary>
    public const string LayerForms =
        "fc<units>, conv<channels>k<kernel>[s<stride>][p<padding>], deconv<channels>k<kernel>[s<stride>][p<padding>][o<output-padding>], "
        + "pool<kernel>[s<stride>], up<factor>, bn, flatten, unflatten<c>x<h>x<w>";

    private const string FcForm = "fc<units>[:activation], e.g. fc400 or fc400:tanh";
    private const string ConvForm = "conv<channels>k<kernel>[s<stride>][p<padding>][:activation], e.g. conv32k4s2p1";
    private const string DeconvForm = "deconv<channels>k<kernel>[s<stride>][p<padding>][o<output-padding>][:activation], e.g. deconv32k4s2p1";
    private const string PoolForm = "pool<kernel>[s<stride>], e.g. pool2";
    private const string UpForm = "up<factor>, e.g. up2";
    private const string UnflattenForm = "unflatten<channels>x<height>x<width>, e.g. unflatten64x7x7";

    /// <summary>
    /// The layers of <paramref name="description"/>, checked for syntax; <paramref name="part"/> names the
    /// network part in errors ("encoder", "decoder").
    /// </summary>
    /// <exception cref="FormatException">A layer is malformed, unknown or not built yet; the message names it.</exception>
    public static IReadOnlyList<LayerSpec> Parse(string description, string part = "architecture")
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(part);
        string trimmed = description.Trim();
        if (trimmed.Length == 0 || trimmed == "none")
        {
            return [];
        }

        string[] items = trimmed.Split(',', StringSplitOptions.TrimEntries);
        var layers = new LayerSpec[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            layers[i] = ParseLayer(items[i], i + 1, part);
        }

        return layers;
    }

    /// <summary>
    /// The shape after <paramref name="layers"/> given <paramref name="input"/>, checking every layer without
    /// allocating anything.
    /// </summary>
    /// <exception cref="FormatException">A layer does not fit the shape it receives; the message names it and the shapes.</exception>
    public static LayerShape OutputShape(IReadOnlyList<LayerSpec> layers, LayerShape input, string part = "architecture")
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(part);
        var shape = input;
        foreach (var layer in layers)
        {
            shape = Step(layer, shape, part);
        }

        return shape;
    }

    /// <summary>
    /// Whether the network built from <paramref name="layers"/> on <paramref name="input"/> takes its input as
    /// [n, c, h, w] images (its first layer needs an image) rather than [n, features] rows.
    /// </summary>
    public static bool TakesImage(IReadOnlyList<LayerSpec> layers, LayerShape input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        // Dropout keeps whatever tensor it receives, so the first other layer decides.
        return input.Image is not null && layers.FirstOrDefault(l => l.Kind != LayerKind.Dropout) is { } first && NeedsImageTensor(first.Kind);
    }

    /// <summary>
    /// Builds <paramref name="layers"/> on <paramref name="input"/>: the modules in order, their weights drawn
    /// from <paramref name="rng"/> layer by layer, with <paramref name="defaultActivation"/> after every fc,
    /// conv and deconv layer that does not name its own.
    /// </summary>
    /// <returns>The network and the shape it outputs (its <see cref="LayerShape.Size"/> is the feature count).</returns>
    /// <exception cref="FormatException">A layer does not fit the shape it receives; the message names it and the shapes.</exception>
    public static ArchitectureBuild Build(IReadOnlyList<LayerSpec> layers, LayerShape input, Activation defaultActivation, Rng rng, string part = "architecture")
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(part);
        OutputShape(layers, input, part);
        var modules = new List<Module>();
        var shape = input;
        bool takesImage = TakesImage(layers, input);

        // Whether the tensor flowing at this point is [n, c, h, w] (else [n, features]).
        bool imageTensor = takesImage;
        foreach (var layer in layers)
        {
            var next = Step(layer, shape, part);
            switch (layer.Kind)
            {
                case LayerKind.FullyConnected:
                    if (imageTensor)
                    {
                        modules.Add(new Flatten());
                    }

                    modules.Add(new Linear(shape.Size, layer.Units, rng));
                    AddActivation(modules, layer.Activation ?? defaultActivation, layer.LeakySlope);
                    break;
                case LayerKind.Convolution:
                    modules.Add(CreateConvolution(layer, shape.Image!.Value, rng));
                    AddActivation(modules, layer.Activation ?? defaultActivation, layer.LeakySlope);
                    break;
                case LayerKind.TransposedConvolution:
                    modules.Add(CreateTransposedConvolution(layer, shape.Image!.Value, rng));
                    AddActivation(modules, layer.Activation ?? defaultActivation, layer.LeakySlope);
                    break;
                case LayerKind.MaxPool:
                    modules.Add(CreateMaxPool(layer));
                    break;
                case LayerKind.Upsample:
                    modules.Add(CreateUpsample(layer));
                    break;
                case LayerKind.BatchNorm:
                    modules.Add(CreateBatchNorm(shape));
                    AddActivation(modules, layer.Activation ?? Activation.Identity, layer.LeakySlope);
                    break;
                case LayerKind.Flatten:
                    modules.Add(new Flatten());
                    break;
                case LayerKind.Unflatten:
                    modules.Add(new Unflatten(layer.Shape!.Value));
                    break;
                case LayerKind.Dropout:
                    modules.Add(new Dropout(layer.Probability));
                    break;
                default:
                    throw new UnreachableException($"Layer kind {layer.Kind} has no builder.");
            }

            imageTensor = layer.Kind == LayerKind.Dropout ? imageTensor : next.Image is not null;
            shape = next;
        }

        return new ArchitectureBuild(new Sequential([.. modules]), shape, takesImage);
    }

    /// <summary>
    /// Parses and builds <paramref name="description"/> in one step (see <see cref="Parse"/> and <see cref="Build(IReadOnlyList{LayerSpec}, LayerShape, Activation, Rng, string)"/>).
    /// </summary>
    public static ArchitectureBuild Build(string description, LayerShape input, Activation defaultActivation, Rng rng, string part = "architecture") =>
        Build(Parse(description, part), input, defaultActivation, rng, part);

    /// <summary>The description of fully connected layers of <paramref name="widths"/> with the default activation: "fc512,fc256".</summary>
    public static string FullyConnected(IEnumerable<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        return string.Join(',', widths.Select(w =>
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(w, 1, nameof(widths));
            return "fc" + w.ToString(CultureInfo.InvariantCulture);
        }));
    }

    /// <summary>The module applying <paramref name="activation"/> (a leaky relu with negative slope <paramref name="leakySlope"/>).</summary>
    public static ActivationModule CreateActivation(Activation activation, float leakySlope = Tensors.Kernels.ActivationKernels.DefaultLeakySlope) => activation switch
    {
        Activation.Relu => new Relu(),
        Activation.LeakyRelu => new LeakyRelu(leakySlope),
        Activation.Sigmoid => new Sigmoid(),
        Activation.Tanh => new Tanh(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No module for this activation."),
    };

    /// <summary>The activation named <paramref name="name"/> in a layer suffix, or null if there is none by that name.</summary>
    public static Activation? ParseActivation(string name) => name switch
    {
        "relu" => Activation.Relu,
        "leaky-relu" => Activation.LeakyRelu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        "none" => Activation.Identity,
        _ => null,
    };

    /// <summary>The text of one layer: "fc784:none", "deconv1k4s2p1:none", "unflatten64x7x7".</summary>
    public static string Describe(LayerSpec layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var c = CultureInfo.InvariantCulture;
        string body = layer.Kind switch
        {
            LayerKind.FullyConnected => string.Create(c, $"fc{layer.Units}"),
            LayerKind.Convolution => string.Create(c, $"conv{layer.Units}k{layer.Kernel}s{layer.Stride}p{layer.Padding}"),
            LayerKind.TransposedConvolution => string.Create(c, $"deconv{layer.Units}k{layer.Kernel}s{layer.Stride}p{layer.Padding}")
                + (layer.OutputPadding > 0 ? string.Create(c, $"o{layer.OutputPadding}") : string.Empty),
            LayerKind.MaxPool => string.Create(c, $"pool{layer.Kernel}") + (layer.Stride != layer.Kernel ? string.Create(c, $"s{layer.Stride}") : string.Empty),
            LayerKind.Upsample => string.Create(c, $"up{layer.Kernel}"),
            LayerKind.BatchNorm => "bn",
            LayerKind.Flatten => "flatten",
            LayerKind.Dropout => "drop" + layer.Probability.ToString("R", c),
            LayerKind.Unflatten => string.Create(c, $"unflatten{layer.Shape!.Value.Channels}x{layer.Shape.Value.Height}x{layer.Shape.Value.Width}"),
            _ => throw new UnreachableException($"Layer kind {layer.Kind} has no text."),
        };
        if (layer.Activation is not { } activation)
        {
            return body;
        }

        string slope = activation == Activation.LeakyRelu && layer.LeakySlope != Tensors.Kernels.ActivationKernels.DefaultLeakySlope
            ? layer.LeakySlope.ToString("R", c)
            : string.Empty;
        return body + ":" + ActivationNames[ActivationIndex(activation)] + slope;
    }

    private static int ActivationIndex(Activation activation) => activation switch
    {
        Activation.Relu => 0,
        Activation.LeakyRelu => 1,
        Activation.Tanh => 2,
        Activation.Sigmoid => 3,
        Activation.Identity => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No name for this activation."),
    };

    private static void AddActivation(List<Module> modules, Activation activation, float leakySlope)
    {
        if (activation != Activation.Identity)
        {
            modules.Add(CreateActivation(activation, leakySlope));
        }
    }

    // The layers whose module reads an [n, c, h, w] tensor (a fully connected layer reads the flat rows).
    private static bool NeedsImageTensor(LayerKind kind) => kind is LayerKind.Convolution or LayerKind.TransposedConvolution
        or LayerKind.MaxPool or LayerKind.Upsample or LayerKind.BatchNorm or LayerKind.Flatten;

    private static Module CreateConvolution(LayerSpec layer, ImageShape input, Rng rng) =>
        new Conv2d(input.Channels, layer.Units, layer.Kernel, layer.Stride, layer.Padding, rng);

    private static Module CreateTransposedConvolution(LayerSpec layer, ImageShape input, Rng rng) =>
        new ConvTranspose2d(input.Channels, layer.Units, layer.Kernel, layer.Stride, layer.Padding, layer.OutputPadding, rng);

    private static Module CreateMaxPool(LayerSpec layer) => new MaxPool2d(layer.Kernel, layer.Stride);

    private static Module CreateUpsample(LayerSpec layer) => new Upsample(layer.Kernel);

    private static Module CreateBatchNorm(LayerShape shape) =>
        shape.Image is { } image ? new BatchNorm2d(image.Channels) : new BatchNorm1d(shape.Size);

    private static LayerShape Step(LayerSpec layer, LayerShape shape, string part)
    {
        switch (layer.Kind)
        {
            case LayerKind.FullyConnected:
                long weights = (long)shape.Size * layer.Units;
                if (weights > Array.MaxLength)
                {
                    throw Error(part, layer,
                        $"a fully connected layer from {shape} to {layer.Units} features needs {weights} weights, more than one tensor holds ({Array.MaxLength})");
                }

                return LayerShape.FromFeatures(layer.Units);
            case LayerKind.Convolution:
                {
                    var image = NeedImage(layer, shape, part, "a convolution");
                    CheckWeights(layer, part, (long)layer.Units * image.Channels * layer.Kernel * layer.Kernel, $"a convolution from {image.Channels} to {layer.Units} channels with a {layer.Kernel}×{layer.Kernel} kernel");
                    if ((long)image.Height + (2L * layer.Padding) < layer.Kernel || (long)image.Width + (2L * layer.Padding) < layer.Kernel)
                    {
                        throw Error(part, layer,
                            $"a {layer.Kernel}×{layer.Kernel} window with stride {layer.Stride} and padding {layer.Padding} does not fit a {image.Height}×{image.Width} image; it receives {image}");
                    }

                    long height = ((image.Height + (2L * layer.Padding) - layer.Kernel) / layer.Stride) + 1;
                    long width = ((image.Width + (2L * layer.Padding) - layer.Kernel) / layer.Stride) + 1;
                    return ImageResult(layer, part, image, layer.Units, height, width);
                }

            case LayerKind.TransposedConvolution:
                {
                    var image = NeedImage(layer, shape, part, "a transposed convolution");
                    CheckWeights(layer, part, (long)layer.Units * image.Channels * layer.Kernel * layer.Kernel, $"a transposed convolution from {image.Channels} to {layer.Units} channels with a {layer.Kernel}×{layer.Kernel} kernel");
                    long height = ((image.Height - 1L) * layer.Stride) - (2L * layer.Padding) + layer.Kernel + layer.OutputPadding;
                    long width = ((image.Width - 1L) * layer.Stride) - (2L * layer.Padding) + layer.Kernel + layer.OutputPadding;
                    if (height < 1 || width < 1)
                    {
                        throw Error(part, layer,
                            $"a {layer.Kernel}×{layer.Kernel} transposed convolution with stride {layer.Stride}, padding {layer.Padding} and output padding {layer.OutputPadding} turns a {image.Height}×{image.Width} image into {height}×{width}; it receives {image}");
                    }

                    return ImageResult(layer, part, image, layer.Units, height, width);
                }

            case LayerKind.MaxPool:
                {
                    var image = NeedImage(layer, shape, part, "max-pooling");
                    if (image.Height < layer.Kernel || image.Width < layer.Kernel)
                    {
                        throw Error(part, layer,
                            $"a {layer.Kernel}×{layer.Kernel} pooling window does not fit a {image.Height}×{image.Width} image; it receives {image}");
                    }

                    long height = ((image.Height - (long)layer.Kernel) / layer.Stride) + 1;
                    long width = ((image.Width - (long)layer.Kernel) / layer.Stride) + 1;
                    return ImageResult(layer, part, image, image.Channels, height, width);
                }

            case LayerKind.Upsample:
                {
                    var image = NeedImage(layer, shape, part, "upsampling");
                    return ImageResult(layer, part, image, image.Channels, (long)image.Height * layer.Kernel, (long)image.Width * layer.Kernel);
                }

            case LayerKind.BatchNorm:
                return shape;
            case LayerKind.Flatten:
                NeedImage(layer, shape, part, "flatten");
                return LayerShape.FromFeatures(shape.Size);
            case LayerKind.Unflatten:
                {
                    var target = layer.Shape!.Value;
                    if (shape.Image is { } image)
                    {
                        throw Error(part, layer, $"unflatten needs features; it receives the image {image} (add flatten before it, or drop it)");
                    }

                    if (shape.Size != target.Size)
                    {
                        throw Error(part, layer, $"unflatten to {target} needs {target.Size} features; it receives {shape}");
                    }

                    return LayerShape.FromImage(target);
                }

            case LayerKind.Dropout:
                return shape;
            default:
                throw new UnreachableException($"Layer kind {layer.Kind} has no shape rule.");
        }
    }

    private static ImageShape NeedImage(LayerSpec layer, LayerShape shape, string part, string what) =>
        shape.Image ?? throw Error(part, layer,
            $"{what} needs an image (c×h×w); it receives {shape} (add unflatten<c>x<h>x<w> before it, or give the data an image shape)");

    private static void CheckWeights(LayerSpec layer, string part, long weights, string what)
    {
        if (weights > Array.MaxLength)
        {
            throw Error(part, layer, $"{what} needs {weights} weights, more than one tensor holds ({Array.MaxLength})");
        }
    }

    private static LayerShape ImageResult(LayerSpec layer, string part, ImageShape input, int channels, long height, long width)
    {
        long size = channels * height * width;
        if (height > int.MaxValue || width > int.MaxValue || size > Array.MaxLength)
        {
            throw Error(part, layer, $"turns {input} into {channels}×{height}×{width}, more values per item than one tensor holds ({Array.MaxLength})");
        }

        return LayerShape.FromImage(new ImageShape(channels, (int)height, (int)width));
    }

    private static LayerSpec ParseLayer(string text, int index, string part)
    {
        if (text.Length == 0)
        {
            throw Error(part, index, text, $"empty layer (a doubled or trailing comma?); expected {FcForm}, or one of {LayerForms}");
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string body = colon < 0 ? text : text[..colon];
        Activation? activation = null;
        float leakySlope = Tensors.Kernels.ActivationKernels.DefaultLeakySlope;
        if (colon >= 0)
        {
            string name = text[(colon + 1)..];
            const string Leaky = "leaky-relu";
            if (name.Length > Leaky.Length && name.StartsWith(Leaky, StringComparison.Ordinal))
            {
                string slope = name[Leaky.Length..];
                if (!float.TryParse(slope, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out leakySlope) || !(leakySlope < 1f))
                {
                    throw Error(part, index, text, $"leaky-relu's slope '{slope}' is not a number in [0, 1); write it as leaky-relu0.2");
                }

                name = Leaky;
            }

            activation = ParseActivation(name)
                ?? throw Error(part, index, text, $"unknown activation '{name}'; expected one of {string.Join(", ", ActivationNames)} (leaky-relu may name its slope: leaky-relu0.2)");
        }

        if (body.StartsWith("fc", StringComparison.Ordinal))
        {
            string digits = body[2..];
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            {
                throw Error(part, index, text, $"expected {FcForm}");
            }

            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int units))
            {
                throw Error(part, index, text, $"{digits} units is more than a layer can have ({int.MaxValue})");
            }

            if (units < 1)
            {
                throw Error(part, index, text, "a layer needs at least 1 unit");
            }

            return new LayerSpec(LayerKind.FullyConnected, index, text, units, activation) { LeakySlope = leakySlope };
        }

        if (body.StartsWith("drop", StringComparison.Ordinal))
        {
            return ParseDropout(text, body, colon, index, part);
        }

        if (body.StartsWith("deconv", StringComparison.Ordinal))
        {
            var fields = Fields(body, "deconv", "kspo", text, index, part, DeconvForm);
            int channels = Positive(fields[0], "a transposed convolution needs at least 1 output channel", text, index, part, DeconvForm);
            int kernel = Positive(fields[1], "the kernel size must be at least 1", text, index, part, DeconvForm);
            int stride = fields[2] is null ? 1 : Positive(fields[2], "the stride must be at least 1", text, index, part, DeconvForm);
            int padding = fields[3] ?? 0;
            int outputPadding = fields[4] ?? 0;
            if (outputPadding >= stride)
            {
                throw Error(part, index, text, $"the output padding {outputPadding} must be smaller than the stride {stride}");
            }

            return new LayerSpec(LayerKind.TransposedConvolution, index, text, channels, activation, kernel, stride, padding, outputPadding) { LeakySlope = leakySlope };
        }

        if (body.StartsWith("conv", StringComparison.Ordinal))
        {
            var fields = Fields(body, "conv", "ksp", text, index, part, ConvForm);
            int channels = Positive(fields[0], "a convolution needs at least 1 output channel", text, index, part, ConvForm);
            int kernel = Positive(fields[1], "the kernel size must be at least 1", text, index, part, ConvForm);
            int stride = fields[2] is null ? 1 : Positive(fields[2], "the stride must be at least 1", text, index, part, ConvForm);
            int padding = fields[3] ?? 0;
            return new LayerSpec(LayerKind.Convolution, index, text, channels, activation, kernel, stride, padding) { LeakySlope = leakySlope };
        }

        if (body.StartsWith("pool", StringComparison.Ordinal))
        {
            NoActivation(activation, "max-pooling", text, index, part);
            var fields = Fields(body, "pool", "s", text, index, part, PoolForm);
            int kernel = Positive(fields[0], "the pooling window must be at least 1", text, index, part, PoolForm);
            int stride = fields[1] is null ? kernel : Positive(fields[1], "the stride must be at least 1", text, index, part, PoolForm);
            return new LayerSpec(LayerKind.MaxPool, index, text, 0, null, kernel, stride);
        }

        if (body.StartsWith("unflatten", StringComparison.Ordinal))
        {
            NoActivation(activation, "unflatten", text, index, part);
            string[] sizes = body["unflatten".Length..].Split('x');
            if (sizes.Length != 3 || sizes.Any(s => s.Length == 0 || !s.All(char.IsAsciiDigit)))
            {
                throw Error(part, index, text, $"expected {UnflattenForm}");
            }

            int c = Positive(Number(sizes[0], text, index, part), "an image needs at least 1 channel, row and column", text, index, part, UnflattenForm);
            int h = Positive(Number(sizes[1], text, index, part), "an image needs at least 1 channel, row and column", text, index, part, UnflattenForm);
            int w = Positive(Number(sizes[2], text, index, part), "an image needs at least 1 channel, row and column", text, index, part, UnflattenForm);
            if ((long)c * h * w > Array.MaxLength)
            {
                throw Error(part, index, text, $"a {c}×{h}×{w} image has more values than one tensor holds ({Array.MaxLength})");
            }

            return new LayerSpec(LayerKind.Unflatten, index, text, 0, null, Shape: new ImageShape(c, h, w));
        }

        if (body.StartsWith("up", StringComparison.Ordinal))
        {
            NoActivation(activation, "upsampling", text, index, part);
            var fields = Fields(body, "up", string.Empty, text, index, part, UpForm);
            int factor = Positive(fields[0], "the upsampling factor must be at least 1", text, index, part, UpForm);
            return new LayerSpec(LayerKind.Upsample, index, text, 0, null, factor, factor);
        }

        if (body == "bn")
        {
            return new LayerSpec(LayerKind.BatchNorm, index, text, 0, activation) { LeakySlope = leakySlope };
        }

        if (body == "flatten")
        {
            NoActivation(activation, "flatten", text, index, part);
            return new LayerSpec(LayerKind.Flatten, index, text, 0);
        }

        throw Error(part, index, text, $"unknown layer; expected {FcForm}, or one of {LayerForms}");
    }

    // The numbers of `body` after `prefix`: the first (required), then one per letter of `letters`, each
    // optional but in that order; null where a field is absent.
    private static int?[] Fields(string body, string prefix, string letters, string text, int index, string part, string form)
    {
        var values = new int?[letters.Length + 1];
        int position = prefix.Length;
        int next = 0;
        while (position <= body.Length)
        {
            int field;
            if (position == prefix.Length)
            {
                field = 0;
            }
            else
            {
                if (position == body.Length)
                {
                    break;
                }

                int letter = letters.IndexOf(body[position], next);
                if (letter < 0)
                {
                    throw Error(part, index, text, $"expected {form}");
                }

                field = letter + 1;
                next = letter + 1;
                position++;
            }

            int start = position;
            while (position < body.Length && char.IsAsciiDigit(body[position]))
            {
                position++;
            }

            if (position == start)
            {
                throw Error(part, index, text, $"expected {form}");
            }

            values[field] = Number(body[start..position], text, index, part);
            if (position == body.Length)
            {
                break;
            }
        }

        if (letters.Length > 0 && letters[0] == 'k' && values[1] is null)
        {
            throw Error(part, index, text, $"the kernel size k<kernel> is missing; expected {form}");
        }

        return values;
    }

    private static int Number(string digits, string text, int index, string part) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw Error(part, index, text, $"{digits} is more than a size can be ({int.MaxValue})");

    // `value` when it is at least 1; else the error `rule` (or the form, when the field is absent).
    private static int Positive(int? value, string rule, string text, int index, string part, string form)
    {
        if (value is not { } v)
        {
            throw Error(part, index, text, $"expected {form}");
        }

        return v >= 1 ? v : throw Error(part, index, text, rule);
    }

    private static void NoActivation(Activation? activation, string what, string text, int index, string part)
    {
        if (activation is not null)
        {
            throw Error(part, index, text, $"{what} has no weights and takes no activation; only fc, conv, deconv and bn take ':activation'");
        }
    }

    private static FormatException Error(string part, LayerSpec layer, string message) => Error(part, layer.Index, layer.Text, message);

    // drop<p>: inverted dropout with probability p in [0, 1), no activation suffix.
    private static LayerSpec ParseDropout(string text, string body, int colon, int index, string part)
    {
        const string DropForm = "drop<p> with p in [0, 1), e.g. drop0.5";
        if (colon >= 0)
        {
            throw Error(part, index, text, $"a dropout layer takes no activation; expected {DropForm}");
        }

        string digits = body[4..];
        if (digits.Length == 0 || !digits.All(c => char.IsAsciiDigit(c) || c == '.')
            || !float.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out float p))
        {
            throw Error(part, index, text, $"expected {DropForm}");
        }

        if (!(p < 1f))
        {
            throw Error(part, index, text, $"a dropout probability must be below 1; expected {DropForm}");
        }

        return new LayerSpec(LayerKind.Dropout, index, text, 0, Probability: p);
    }

    private static FormatException Error(string part, int index, string text, string message) =>
        new($"{part} layer {index} '{text}': {message}");
}

/// <summary>The kinds of layer an architecture description builds.</summary>
public enum LayerKind
{
    /// <summary><c>fc&lt;units&gt;</c>: a <see cref="Linear"/> layer, then its activation.</summary>
    FullyConnected,

    /// <summary><c>conv&lt;channels&gt;k&lt;kernel&gt;s&lt;stride&gt;p&lt;padding&gt;</c>: a <see cref="Conv2d"/>, then its activation.</summary>
    Convolution,

    /// <summary><c>deconv&lt;channels&gt;k&lt;kernel&gt;s&lt;stride&gt;p&lt;padding&gt;[o&lt;output padding&gt;]</c>: a <see cref="ConvTranspose2d"/>, then its activation.</summary>
    TransposedConvolution,

    /// <summary><c>pool&lt;kernel&gt;[s&lt;stride&gt;]</c>: a <see cref="MaxPool2d"/>.</summary>
    MaxPool,

    /// <summary><c>up&lt;factor&gt;</c>: nearest-neighbour <see cref="Upsample"/>.</summary>
    Upsample,

    /// <summary><c>bn</c>: <see cref="BatchNorm2d"/> on an image, <see cref="BatchNorm1d"/> on features, then its activation if it names one.</summary>
    BatchNorm,

    /// <summary><c>flatten</c>: an image to its c·h·w features.</summary>
    Flatten,

    /// <summary><c>unflatten&lt;c&gt;x&lt;h&gt;x&lt;w&gt;</c>: c·h·w features to a c×h×w image.</summary>
    Unflatten,

    /// <summary><c>drop&lt;p&gt;</c>: a <see cref="Nn.Dropout"/> layer with probability p.</summary>
    Dropout,
}

/// <summary>One parsed layer of an architecture description.</summary>
/// <param name="Kind">What the layer is.</param>
/// <param name="Index">Its position in the description, from 1 (used in errors).</param>
/// <param name="Text">Its text in the description (used in errors).</param>
/// <param name="Units">Output units of a fully connected layer; output channels of a (transposed) convolution; 0 otherwise.</param>
/// <param name="Activation">The activation after it; null for the part's default hidden activation (for bn: none).</param>
/// <param name="Kernel">The kernel (window) size of a convolution or pooling layer; the factor of an upsampling layer.</param>
/// <param name="Stride">The stride of a convolution or pooling layer (the factor for upsampling).</param>
/// <param name="Padding">The zero padding of a (transposed) convolution.</param>
/// <param name="OutputPadding">The output padding of a transposed convolution.</param>
/// <param name="Shape">The image an unflatten layer makes.</param>
/// <param name="Probability">The drop probability of a dropout layer.</param>
public sealed record LayerSpec(
    LayerKind Kind, int Index, string Text, int Units, Activation? Activation = null,
    int Kernel = 0, int Stride = 0, int Padding = 0, int OutputPadding = 0, ImageShape? Shape = null, float Probability = 0f)
{
    /// <summary>The negative slope of a <c>leaky-relu</c> activation (PyTorch's 0.01 unless the layer names one: <c>:leaky-relu0.2</c>).</summary>
    public float LeakySlope { get; init; } = Tensors.Kernels.ActivationKernels.DefaultLeakySlope;
}

/// <summary>The shape flowing between layers: a flat feature vector, or an image (c × h × w) per item.</summary>
public readonly record struct LayerShape
{
    private LayerShape(int size, ImageShape? image)
    {
        Size = size;
        Image = image;
    }

    /// <summary>Values per item (the feature count; c·h·w for an image).</summary>
    public int Size { get; }

    /// <summary>The image shape, or null for flat features.</summary>
    public ImageShape? Image { get; }

    /// <summary>A flat vector of <paramref name="features"/> values.</summary>
    public static LayerShape FromFeatures(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        return new LayerShape(features, null);
    }

    /// <summary>An image of <paramref name="image"/>'s shape.</summary>
    public static LayerShape FromImage(ImageShape image) => new(image.Size, image);

    /// <summary>"784 features" or "1×28×28".</summary>
    public override string ToString() => Image is { } image
        ? image.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{Size} features");
}

/// <summary>A network built from an architecture description, and the shape it outputs.</summary>
/// <param name="Module">The layers, named 0, 1, 2, ….</param>
/// <param name="Output">The shape of its output.</param>
/// <param name="TakesImage">Whether the network takes its input as [n, c, h, w] (its first layer needs an image) rather than [n, features].</param>
public sealed record ArchitectureBuild(Sequential Module, LayerShape Output, bool TakesImage = false)
{
    /// <summary>Values per item of the output.</summary>
    public int Features => Output.Size;
}
