using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// Every choice that defines an autoencoder: sizes, parts and loss weights. A preset (<see cref="Presets"/>)
/// fills these with its defaults; the options are stored as JSON in the model file so that loading rebuilds
/// the exact model.
/// </summary>
public sealed record AutoencoderOptions
{
    /// <summary>The preset name, for the record (for example "vae").</summary>
    public string Preset { get; init; } = "ae";

    /// <summary>Input size d (784 for 28×28 images); the size of <see cref="InputShape"/> when that is set.</summary>
    public int Inputs { get; init; } = 784;

    /// <summary>The shape of one input image (c × h × w, with <see cref="Inputs"/> its size); null for flat feature data.</summary>
    public ImageShape? InputShape { get; init; }

    /// <summary>
    /// The encoder's layers, input → features, as an architecture description (see <see cref="Architecture"/>):
    /// for example "fc400" or "fc512,fc256"; empty for none (the bottleneck then reads the input itself).
    /// </summary>
    public string Encoder { get; init; } = "fc400";

    /// <summary>
    /// The decoder's hidden layers, code → …, in order, as an architecture description (see
    /// <see cref="Architecture"/>); the model appends the output layer (see <see cref="DecoderLayers"/>): a
    /// linear layer to <see cref="Inputs"/> units after features, nothing after an image of the input's shape, a
    /// 4×4 stride-2 transposed convolution to the input's channels after another image. It is independent of
    /// <see cref="Encoder"/>: nothing is mirrored. Empty for a linear decoder.
    /// </summary>
    public string Decoder { get; init; } = "fc400";

    /// <summary>
    /// Sets fully connected hidden layers of these widths on both sides, mirrored explicitly: the encoder gets
    /// them in order and the decoder in reverse ([512, 256] gives encoder "fc512,fc256" and decoder
    /// "fc256,fc512"); empty for a linear map. A shorthand for <see cref="Encoder"/> and <see cref="Decoder"/>,
    /// not stored.
    /// </summary>
    [JsonIgnore]
    public int[] Hidden
    {
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            Encoder = Architecture.FullyConnected(value);
            Decoder = Architecture.FullyConnected(value.Reverse());
        }
    }

    /// <summary>Code size.</summary>
    public int Latent { get; init; } = 20;

    /// <summary>Activation of the hidden layers.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>How features become the code.</summary>
    public BottleneckKind Bottleneck { get; init; } = BottleneckKind.Deterministic;

    /// <summary>Activation of a deterministic code (identity unless KL sparsity needs units in (0, 1)).</summary>
    public Activation CodeActivation { get; init; } = Activation.Identity;

    /// <summary>The observation model.</summary>
    public LikelihoodKind Likelihood { get; init; } = LikelihoodKind.Bernoulli;

    /// <summary>σ of a fixed-variance Gaussian likelihood.</summary>
    public float Sigma { get; init; } = 1f;

    /// <summary>Weight β of KL(q(z | x) ‖ N(0, I)) for a Gaussian bottleneck (the InfoVAE weight is 1 − α).</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>Units kept per item by a top-k bottleneck during training.</summary>
    public int TopK { get; init; } = 25;

    /// <summary>Encoding keeps ⌊α·k⌋ units (Makhzani and Frey's α, at least 1).</summary>
    public float TopKAlpha { get; init; } = 3f;

    /// <summary>InfoVAE's α: the KL weight is 1 − α.</summary>
    public float InfoAlpha { get; init; }

    /// <summary>InfoVAE's λ: the weight of MMD(q(z), N(0, I)); 0 for none.</summary>
    public float MmdWeight { get; init; }

    /// <summary>The MMD kernel.</summary>
    public MmdKernel MmdKernel { get; init; } = MmdKernel.InverseMultiquadratic;

    /// <summary>The MMD kernel's scale s.</summary>
    public float MmdScale { get; init; } = 1f;

    /// <summary>The sparsity penalty on a deterministic code.</summary>
    public SparsityKind Sparsity { get; init; }

    /// <summary>The sparsity penalty's weight.</summary>
    public float SparsityWeight { get; init; }

    /// <summary>The target mean activation ρ of KL sparsity.</summary>
    public float SparsityTarget { get; init; } = 0.05f;

    /// <summary>The training-time input corruption.</summary>
    public NoiseKind Noise { get; init; }

    /// <summary>σ of Gaussian noise, or the masking probability.</summary>
    public float NoiseLevel { get; init; }

    /// <summary>σ of the Gaussian noise added to a binary code's pre-activations in training; 0 trains the binary code itself by straight-through.</summary>
    public float CodeNoise { get; init; } = 1f;

    /// <summary>Importance samples k of the IWAE bound; 0 for the ordinary ELBO.</summary>
    public int ImportanceSamples { get; init; }

    /// <summary>Seed of the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Ties the decoder to the bottleneck's weight W [code, inputs] read transposed, x̂ = Wᵀz + b′ (Makhzani and
    /// Frey's tied k-sparse autoencoder): the decoder is a <see cref="TiedLinear"/> holding only its bias
    /// ("decoder.0.bias"). Needs a model without hidden layers (<see cref="Encoder"/> and <see cref="Decoder"/>
    /// empty) and a deterministic or top-k bottleneck, whose one linear map is the weight tied.
    /// </summary>
    public bool TiedWeights { get; init; }

    private static readonly JsonSerializerOptions s_jsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new ImageShapeConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options as JSON (stored in a model file's metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_jsonOptions);

    /// <summary>Options from <see cref="ToJson"/>, checked; a property this version does not know is an error.</summary>
    public static AutoencoderOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        AutoencoderOptions? options;
        try
        {
            // Hidden is a shorthand, not stored: "hidden" in the JSON is a format-1 file read as format 2.
            if (JsonNode.Parse(json) is JsonObject root && root.ContainsKey("hidden"))
            {
                throw new FormatException("The autoencoder options have 'hidden', which only format autoencoder/1 stores; this format stores 'encoder' and 'decoder'.");
            }

            options = JsonSerializer.Deserialize<AutoencoderOptions>(json, s_jsonOptions);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The autoencoder options are not valid JSON: {exception.Message}", exception);
        }

        return (options ?? throw new FormatException("The autoencoder options are empty.")).Validate();
    }

    /// <summary>Checks every value and returns these options, or throws naming the bad one.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="FormatException">The encoder or decoder description is malformed or does not fit its shapes.</exception>
    public AutoencoderOptions Validate()
    {
        Check(Inputs >= 1, nameof(Inputs), Inputs, "at least 1");
        if (InputShape is { } shape)
        {
            Check(Inputs == shape.Size, nameof(Inputs), Inputs, $"the size {shape.Size} of the input shape {shape}");
        }

        Check(Latent >= 1, nameof(Latent), Latent, "at least 1");
        ArgumentNullException.ThrowIfNull(Encoder, nameof(Encoder));
        ArgumentNullException.ThrowIfNull(Decoder, nameof(Decoder));
        Architecture.OutputShape(Architecture.Parse(Encoder, "encoder"), InputLayerShape, "encoder");
        Architecture.OutputShape(DecoderLayers(), LayerShape.FromFeatures(Latent), "decoder");

        Check(Sigma > 0 && float.IsFinite(Sigma), nameof(Sigma), Sigma, "positive");
        Check(Beta >= 0 && float.IsFinite(Beta), nameof(Beta), Beta, "0 or more");
        if (Bottleneck == BottleneckKind.TopK)
        {
            Check(TopK >= 1 && TopK <= Latent, nameof(TopK), TopK, $"1 to the code size {Latent}");
            Check(TopKAlpha >= 1 && float.IsFinite(TopKAlpha), nameof(TopKAlpha), TopKAlpha, "1 or more");
        }

        Check(InfoAlpha <= 1 && float.IsFinite(InfoAlpha), nameof(InfoAlpha), InfoAlpha, "at most 1");
        Check(MmdWeight >= 0 && float.IsFinite(MmdWeight), nameof(MmdWeight), MmdWeight, "0 or more");
        Check(MmdScale > 0 && float.IsFinite(MmdScale), nameof(MmdScale), MmdScale, "positive");
        Check(SparsityWeight >= 0 && float.IsFinite(SparsityWeight), nameof(SparsityWeight), SparsityWeight, "0 or more");
        if (Sparsity == SparsityKind.Kl)
        {
            Check(SparsityTarget is > 0 and < 1, nameof(SparsityTarget), SparsityTarget, "strictly between 0 and 1");
            Check(CodeActivation == Activation.Sigmoid, nameof(CodeActivation), CodeActivation, "Sigmoid for KL sparsity");
        }

        Check(NoiseLevel >= 0 && float.IsFinite(NoiseLevel), nameof(NoiseLevel), NoiseLevel, "0 or more");
        if (Noise == NoiseKind.Mask)
        {
            Check(NoiseLevel < 1, nameof(NoiseLevel), NoiseLevel, "a masking probability below 1");
        }

        Check(CodeNoise >= 0 && float.IsFinite(CodeNoise), nameof(CodeNoise), CodeNoise, "0 or more");
        Check(ImportanceSamples >= 0, nameof(ImportanceSamples), ImportanceSamples, "0 or more");
        if (TiedWeights)
        {
            Check(Architecture.Parse(Encoder, "encoder").Count == 0 && Architecture.Parse(Decoder, "decoder").Count == 0, nameof(TiedWeights), TiedWeights,
                $"false with hidden layers (encoder '{Encoder}', decoder '{Decoder}'): tied weights need a model without hidden layers, the decoder being the code layer's weight transposed");
            Check(Bottleneck is BottleneckKind.TopK or BottleneckKind.Deterministic, nameof(TiedWeights), TiedWeights,
                $"false with a {Bottleneck} bottleneck: tied weights need a top-k or deterministic bottleneck, which has one linear map to tie");
        }

        if (ImportanceSamples > 0 || MmdWeight > 0)
        {
            Check(Bottleneck == BottleneckKind.Gaussian, nameof(Bottleneck), Bottleneck, "Gaussian for IWAE or MMD");
        }

        return this;
    }

    /// <summary>The shape the encoder receives: the image shape if there is one, else <see cref="Inputs"/> features.</summary>
    [JsonIgnore]
    public LayerShape InputLayerShape => InputShape is { } shape ? LayerShape.FromImage(shape) : LayerShape.FromFeatures(Inputs);

    /// <summary>The decoder's layers: those of <see cref="Decoder"/>, then the output layer the model adds.</summary>
    /// <remarks>
    /// <para>The output layer depends on where <see cref="Decoder"/>'s layers end:</para>
    /// <list type="bullet">
    /// <item>at features, or anywhere when the data has no image shape: <c>fc{Inputs}:none</c>, a linear layer to the input size;</item>
    /// <item>at an image of exactly <see cref="InputShape"/>: nothing — the description's last layer is the output
    /// (for example <c>…,up2,conv1k3s1p1:none</c>), and a last fc, conv or deconv layer must name its
    /// activation (usually <c>:none</c>: the output is the likelihood's logits or means, not a hidden layer);</item>
    /// <item>at another image c×h×w: <c>deconv{C}k4s2p1:none</c>, a 4×4 stride-2 transposed convolution to the
    /// input's C channels that doubles h and w (the mirror of a <c>conv…k4s2p1</c> encoder layer), which must then
    /// give <see cref="InputShape"/> exactly.</item>
    /// </list>
    /// </remarks>
    /// <exception cref="FormatException">The decoder does not end at the input's shape; the message names the layer and the shapes.</exception>
    public IReadOnlyList<LayerSpec> DecoderLayers()
    {
        var hidden = Architecture.Parse(Decoder, "decoder");
        var end = Architecture.OutputShape(hidden, LayerShape.FromFeatures(Latent), "decoder");
        int index = hidden.Count + 1;
        if (InputShape is not { } input || end.Image is not { } image)
        {
            string linear = string.Create(CultureInfo.InvariantCulture, $"fc{Inputs}:none");
            return [.. hidden, new LayerSpec(LayerKind.FullyConnected, index, linear, Inputs, Activation.Identity)];
        }

        if (image == input)
        {
            var last = hidden[^1];
            if (last.Activation is null && Activation != Activation.Identity
                && last.Kind is LayerKind.FullyConnected or LayerKind.Convolution or LayerKind.TransposedConvolution)
            {
                throw new FormatException(
                    $"decoder layer {last.Index} '{last.Text}': the decoder ends at the input's shape {input}, so this layer gives the likelihood's parameters (logits or means) and must name its activation, usually ':none' ('{last.Text}:none')");
            }

            return hidden;
        }

        string text = string.Create(CultureInfo.InvariantCulture, $"deconv{input.Channels}k4s2p1:none");
        var output = new LayerSpec(LayerKind.TransposedConvolution, index, text, input.Channels, Activation.Identity, Kernel: 4, Stride: 2, Padding: 1);
        var result = Architecture.OutputShape([output], end, "decoder");
        if (result.Image != input)
        {
            string half = input.Height % 2 == 0 && input.Width % 2 == 0
                ? string.Create(CultureInfo.InvariantCulture, $" or at c×{input.Height / 2}×{input.Width / 2} (which the added layer doubles)")
                : string.Empty;
            throw new FormatException(
                $"decoder layer {index} '{text}' (the output layer added after a decoder that ends in an image): turns {image} into {result}, not the input's {input}; end the decoder at the input's shape {input} (its last layer is then the output){half}");
        }

        return [.. hidden, output];
    }

    /// <summary>
    /// These options with inverted dropout of probability <paramref name="p"/> after each hidden fully connected
    /// layer of the encoder: "fc1000,fc500" becomes "fc1000,drop0.5,fc500,drop0.5" (Makhzani and Frey's dropout
    /// autoencoder drops hidden units). The input is not dropped (input masking is <see cref="NoiseKind.Mask"/>)
    /// and neither is the code; the decoder is unchanged. The dropout is written into <see cref="Encoder"/>, so
    /// the model file's description says exactly what was built. p = 0 returns these options unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">p is not in [0, 1), the encoder has no fully connected layer, or it already has dropout layers.</exception>
    public AutoencoderOptions WithDropout(float p)
    {
        if (!(p is >= 0f and < 1f))
        {
            throw new ArgumentException($"The dropout probability is {p}; expected a value in [0, 1).", nameof(p));
        }

        if (p == 0f)
        {
            return this;
        }

        var layers = Architecture.Parse(Encoder, "encoder");
        if (layers.Any(l => l.Kind == LayerKind.Dropout))
        {
            throw new ArgumentException($"The encoder '{Encoder}' already has dropout layers; give dropout either in the description or as a probability, not both.", nameof(p));
        }

        if (!layers.Any(l => l.Kind == LayerKind.FullyConnected))
        {
            throw new ArgumentException(
                $"Dropout applies to the encoder's hidden layers and '{Preset}' has none (encoder '{Encoder}'); add some (e.g. encoder fc1000) or leave dropout off.", nameof(p));
        }

        string drop = "drop" + p.ToString(CultureInfo.InvariantCulture);
        return this with { Encoder = string.Join(',', layers.SelectMany(l => l.Kind == LayerKind.FullyConnected ? [l.Text, drop] : new[] { l.Text })) };
    }

    /// <summary>Whether the bottleneck samples (the model is a VAE of some kind).</summary>
    [JsonIgnore]
    public bool IsVariational => Bottleneck == BottleneckKind.Gaussian;

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"Autoencoder option {name} is {value}; expected {expected}.", name);
        }
    }

    /// <summary>An image shape as {"channels": c, "height": h, "width": w}.</summary>
    internal sealed class ImageShapeConverter : JsonConverter<ImageShape>
    {
        public override ImageShape Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("inputShape must be an object {\"channels\": c, \"height\": h, \"width\": w}.");
            }

            int? channels = null, height = null, width = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString() ?? string.Empty;
                reader.Read();
                int value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int v) && v >= 1
                    ? v
                    : throw new JsonException($"inputShape.{name} must be a whole number of at least 1.");
                switch (name)
                {
                    case "channels":
                        channels = value;
                        break;
                    case "height":
                        height = value;
                        break;
                    case "width":
                        width = value;
                        break;
                    default:
                        throw new JsonException($"inputShape has an unknown property '{name}'; expected channels, height and width.");
                }
            }

            if (channels is not { } c || height is not { } h || width is not { } w)
            {
                throw new JsonException("inputShape needs channels, height and width.");
            }

            if ((long)c * h * w > Array.MaxLength)
            {
                throw new JsonException($"inputShape {c}×{h}×{w} has more values than a tensor holds.");
            }

            return new ImageShape(c, h, w);
        }

        public override void Write(Utf8JsonWriter writer, ImageShape value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("channels", value.Channels);
            writer.WriteNumber("height", value.Height);
            writer.WriteNumber("width", value.Width);
            writer.WriteEndObject();
        }
    }
}
