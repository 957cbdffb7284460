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
/// <para>Grammar (whitespace around layers is ignored):</para>
/// <code>
/// description := "" | "none" | layer ("," layer)*
/// layer       := "fc" units [":" activation] | "drop" p
/// activation  := "relu" | "leaky-relu" | "tanh" | "sigmoid" | "none"
/// </code>
/// <para>
/// <c>fc400</c> is a fully connected (Linear) layer to 400 units followed by the part's hidden activation;
/// <c>fc400:tanh</c> overrides that activation for this layer and <c>fc400:none</c> leaves it linear. An empty
/// description (or <c>none</c>) has no layers: the part is the identity and its output is its input. A fully
/// connected layer reads an image input as its c·h·w features (images are stored flat, channel-major).
/// <c>drop0.5</c> is inverted dropout with p = 0.5 in [0, 1) (a <see cref="Dropout"/> module: active in
/// training, the identity in evaluation; no weights, the shape unchanged).
/// </para>
/// <para>
/// Reserved for the convolution layers (recognised and refused by name until they are built):
/// <c>conv32k4s2p1</c> (a convolution to 32 channels, kernel 4, stride 2, padding 1, then the activation),
/// <c>deconv64k4s2p1</c> (a transposed convolution, same fields), <c>pool2</c> (max-pooling by 2),
/// <c>up2</c> (upsampling by 2), <c>bn</c> (batch normalisation) and
/// <c>flatten</c> (an image to its c·h·w features); the layers with weights take the same <c>:activation</c>
/// suffix as <c>fc</c>.
/// </para>
/// <para>
/// The modules are those PyTorch's nn.Sequential would hold: each <c>fc</c> is a <see cref="Linear"/>
/// followed by its activation module unless the activation is the identity, numbered 0, 1, 2, …, so
/// parameters are named "0.weight", "0.bias", "2.weight", … and weights are drawn layer by layer in order.
/// </para>
/// <para>
/// Every error is one line naming the part, the layer's position (from 1), its text and the shapes involved,
/// for example <c>encoder layer 2 'fc0': a layer needs at least 1 unit</c>.
/// </para>
/// </remarks>
public static class Architecture
{
    /// <summary>The activations a layer's <c>:activation</c> suffix may name.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["relu", "leaky-relu", "tanh", "sigmoid", "none"];

    private const string FcForm = "fc<units>[:activation], e.g. fc400 or fc400:tanh";

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
    /// Builds <paramref name="layers"/> on <paramref name="input"/>: the modules in order, their weights drawn
    /// from <paramref name="rng"/> layer by layer, with <paramref name="defaultActivation"/> after every layer
    /// that does not name its own.
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
        foreach (var layer in layers)
        {
            var next = Step(layer, shape, part);
            switch (layer.Kind)
            {
                case LayerKind.FullyConnected:
                    modules.Add(new Linear(shape.Size, layer.Units, rng));
                    var activation = layer.Activation ?? defaultActivation;
                    if (activation != Activation.Identity)
                    {
                        modules.Add(CreateActivation(activation));
                    }

                    break;
                case LayerKind.Dropout:
                    modules.Add(new Dropout(layer.Probability));
                    break;
                default:
                    throw new UnreachableException($"Layer kind {layer.Kind} has no builder.");
            }

            shape = next;
        }

        return new ArchitectureBuild(new Sequential([.. modules]), shape);
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

    /// <summary>The module applying <paramref name="activation"/>.</summary>
    public static ActivationModule CreateActivation(Activation activation) => activation switch
    {
        Activation.Relu => new Relu(),
        Activation.LeakyRelu => new LeakyRelu(),
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

    private static LayerShape Step(LayerSpec layer, LayerShape shape, string part)
    {
        switch (layer.Kind)
        {
            case LayerKind.FullyConnected:
                long weights = (long)shape.Size * layer.Units;
                if (weights > Array.MaxLength)
                {
                    throw Error(part, layer.Index, layer.Text,
                        $"a fully connected layer from {shape} to {layer.Units} features needs {weights} weights, more than one tensor holds ({Array.MaxLength})");
                }

                return LayerShape.FromFeatures(layer.Units);
            case LayerKind.Dropout:
                return shape;
            default:
                throw new UnreachableException($"Layer kind {layer.Kind} has no shape rule.");
        }
    }

    private static LayerSpec ParseLayer(string text, int index, string part)
    {
        if (text.Length == 0)
        {
            throw Error(part, index, text, $"empty layer (a doubled or trailing comma?); expected {FcForm}");
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string body = colon < 0 ? text : text[..colon];
        Activation? activation = null;
        if (colon >= 0)
        {
            string name = text[(colon + 1)..];
            activation = ParseActivation(name)
                ?? throw Error(part, index, text, $"unknown activation '{name}'; expected one of {string.Join(", ", ActivationNames)}");
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

            return new LayerSpec(LayerKind.FullyConnected, index, text, units, activation);
        }

        if (body.StartsWith("drop", StringComparison.Ordinal))
        {
            return ParseDropout(text, body, colon, index, part);
        }

        if (ReservedKind(body) is { } reserved)
        {
            throw Error(part, index, text, $"{reserved} layers are not built yet; this version builds {FcForm}");
        }

        throw Error(part, index, text, $"unknown layer; expected {FcForm}");
    }

    private static string? ReservedKind(string body) =>
        body.StartsWith("deconv", StringComparison.Ordinal) ? "transposed convolution (deconv<channels>k<kernel>s<stride>p<padding>)"
        : body.StartsWith("conv", StringComparison.Ordinal) ? "convolution (conv<channels>k<kernel>s<stride>p<padding>)"
        : body.StartsWith("pool", StringComparison.Ordinal) ? "pooling (pool<factor>)"
        : body.StartsWith("up", StringComparison.Ordinal) ? "upsampling (up<factor>)"
        : body == "bn" ? "batch normalisation (bn)"
        : body == "flatten" ? "flatten"
        : null;

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
/// <remarks>The convolution issue adds the reserved forms (see <see cref="Architecture"/>).</remarks>
public enum LayerKind
{
    /// <summary><c>fc&lt;units&gt;</c>: a <see cref="Linear"/> layer, then its activation.</summary>
    FullyConnected,

    /// <summary><c>drop&lt;p&gt;</c>: a <see cref="Nn.Dropout"/> layer with probability p.</summary>
    Dropout,
}

/// <summary>One parsed layer of an architecture description.</summary>
/// <param name="Kind">What the layer is.</param>
/// <param name="Index">Its position in the description, from 1 (used in errors).</param>
/// <param name="Text">Its text in the description (used in errors).</param>
/// <param name="Units">Output units of a fully connected layer.</param>
/// <param name="Activation">The activation after it; null for the part's default hidden activation.</param>
/// <param name="Probability">The drop probability of a dropout layer.</param>
public sealed record LayerSpec(LayerKind Kind, int Index, string Text, int Units, Activation? Activation = null, float Probability = 0f);

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
public sealed record ArchitectureBuild(Sequential Module, LayerShape Output)
{
    /// <summary>Values per item of the output.</summary>
    public int Features => Output.Size;
}
