using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// Every choice that defines a generative adversarial network: the latent input (noise and, for an InfoGAN,
/// structured codes), the generator, the discriminator, its recognition head and the adversarial objective.
/// <see cref="AdversarialPresets"/> fills these for <c>dcgan</c> and <c>infogan</c>; stored as JSON in the model
/// file so that loading rebuilds the exact network.
/// </summary>
/// <remarks>
/// <para>
/// The generator's input z is laid out as [noise | continuous codes | one-hot categorical codes]: <see cref="Noise"/>
/// values and <see cref="ContinuousCodes"/> values drawn from U(−1, 1), then one one-hot block per entry of
/// <see cref="CategoricalCodes"/> (its number of categories), drawn uniformly.
/// </para>
/// <para>
/// Networks are architecture descriptions (<see cref="Architecture"/>). The generator maps z to one item and must end
/// at the data's size (an image of the input shape, or <see cref="Inputs"/> features); its last layer names its own
/// activation (sigmoid for data in [0, 1]). The discriminator maps an item to features; the model adds a linear
/// critic to one logit, and for codes a recognition head: <see cref="Recognition"/>'s layers on the
/// discriminator's features, then a linear layer to the codes' parameters (a mean per continuous code, logits per
/// categorical one), as InfoGAN's Q network shares the discriminator's body.
/// </para>
/// </remarks>
public sealed record AdversarialOptions
{
    private static readonly JsonSerializerOptions s_jsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new AutoencoderOptions.ImageShapeConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The preset name, for the record ("dcgan", "infogan").</summary>
    public string Preset { get; init; } = "dcgan";

    /// <summary>Values per item (784 for 28×28 images); the size of <see cref="InputShape"/> when that is set.</summary>
    public int Inputs { get; init; } = 784;

    /// <summary>The shape of one image (c × h × w), or null for flat feature data.</summary>
    public ImageShape? InputShape { get; init; }

    /// <summary>Unstructured noise values in z, each U(−1, 1) (DCGAN's 100-D uniform z).</summary>
    public int Noise { get; init; } = 100;

    /// <summary>InfoGAN's continuous codes in z, each U(−1, 1), whose mutual information with the image the objective raises.</summary>
    public int ContinuousCodes { get; init; }

    /// <summary>InfoGAN's categorical codes: the number of categories of each (one-hot in z, drawn uniformly).</summary>
    public IReadOnlyList<int> CategoricalCodes { get; init; } = [];

    /// <summary>The generator's layers, z → item, as an architecture description; it ends at the data's size.</summary>
    public string Generator { get; init; } = "fc256,fc784:sigmoid";

    /// <summary>The discriminator's layers, item → features, as an architecture description; the model adds the critic (features → one logit).</summary>
    public string Discriminator { get; init; } = "fc256:leaky-relu0.2";

    /// <summary>The recognition head's hidden layers on the discriminator's features (codes only); the model adds the output layer.</summary>
    public string Recognition { get; init; } = string.Empty;

    /// <summary>The hidden activation of layers that name none.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>λ, the weight of the mutual-information term (InfoGAN; ignored without codes).</summary>
    public float InfoWeight { get; init; } = 1f;

    /// <summary>Discriminator steps per generator step (k): each batch is one discriminator step; every k-th also steps the generator.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>One-sided label smoothing: the discriminator's target for real items is 1 − this (0 for none; Salimans et al. 2016 use 0.1).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>The seed of the initial weights.</summary>
    public ulong Seed { get; init; }

    /// <summary>The length of z: noise, continuous codes and the categorical codes' one-hot blocks.</summary>
    [JsonIgnore]
    public int LatentSize => Noise + ContinuousCodes + CategoricalCodes.Sum();

    /// <summary>The values the recognition head outputs: one per continuous code and one per category.</summary>
    [JsonIgnore]
    public int CodeParameters => ContinuousCodes + CategoricalCodes.Sum();

    /// <summary>Whether the network has InfoGAN codes (and so a recognition head).</summary>
    [JsonIgnore]
    public bool HasCodes => CodeParameters > 0;

    /// <summary>The shape a network reading one item starts from.</summary>
    [JsonIgnore]
    public LayerShape InputLayerShape => InputShape is { } shape ? LayerShape.FromImage(shape) : LayerShape.FromFeatures(Inputs);

    /// <summary>The options as JSON (stored in a model file's metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_jsonOptions);

    /// <summary>Options from <see cref="ToJson"/>, checked; a property this version does not know is an error.</summary>
    /// <exception cref="FormatException">The JSON is malformed or an option is out of range.</exception>
    public static AdversarialOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        AdversarialOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<AdversarialOptions>(json, s_jsonOptions);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The adversarial network's options are not valid JSON: {exception.Message}", exception);
        }

        try
        {
            return (options ?? throw new FormatException("The adversarial network's options are empty.")).Validate();
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    /// <summary>Checks every value and the networks' shapes, and returns these options, or throws naming the bad one.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="FormatException">A network description is malformed or does not fit its shapes.</exception>
    public AdversarialOptions Validate()
    {
        Check(Inputs >= 1, nameof(Inputs), Inputs, "at least 1");
        if (InputShape is { } shape)
        {
            Check(Inputs == shape.Size, nameof(Inputs), Inputs, $"the size {shape.Size} of the input shape {shape}");
        }

        Check(Noise >= 0, nameof(Noise), Noise, "0 or more");
        Check(ContinuousCodes >= 0, nameof(ContinuousCodes), ContinuousCodes, "0 or more");
        Check(CategoricalCodes is not null && CategoricalCodes.All(c => c >= 2), nameof(CategoricalCodes), CategoricalCodes is null ? "null" : $"[{string.Join(", ", CategoricalCodes)}]", "categories of at least 2 each");
        Check(LatentSize >= 1, nameof(Noise), Noise, "at least 1 value of z in all (noise and codes)");
        Check(InfoWeight >= 0 && float.IsFinite(InfoWeight), nameof(InfoWeight), InfoWeight, "0 or more");
        Check(DiscriminatorSteps >= 1, nameof(DiscriminatorSteps), DiscriminatorSteps, "at least 1");
        Check(LabelSmoothing is >= 0 and < 1, nameof(LabelSmoothing), LabelSmoothing, "in [0, 1)");
        var generated = Architecture.OutputShape(Architecture.Parse(Generator, "generator"), LayerShape.FromFeatures(LatentSize), "generator");
        if (generated.Size != Inputs || (InputShape is { } image && generated.Image is { } made && made != image))
        {
            throw new FormatException($"generator '{Generator}' makes {generated} from the {LatentSize} values of z; the data are {InputLayerShape}: its last layer must output the data's size.");
        }

        var features = Architecture.OutputShape(Architecture.Parse(Discriminator, "discriminator"), InputLayerShape, "discriminator");
        if (HasCodes)
        {
            Architecture.OutputShape(Architecture.Parse(Recognition, "recognition"), LayerShape.FromFeatures(features.Size), "recognition");
        }
        else
        {
            Check(Architecture.Parse(Recognition, "recognition").Count == 0, nameof(Recognition), Recognition, "none without codes (set ContinuousCodes or CategoricalCodes)");
        }

        return this;
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"Adversarial network option {name} is {value}; expected {expected}.", name);
        }
    }
}
