using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// The options of <c>latent train dcgan|infogan</c> that only the GAN presets take (the networks, the codes and the
/// adversarial objective), and the rule that a GAN preset takes no autoencoder option and an autoencoder preset no
/// GAN option: each is refused in one line naming the options given.
/// </summary>
internal sealed class AdversarialTrainOptions
{
    public Option<string?> Generator { get; } = new("--generator") { Description = "GANs: the generator's layers, z → image, in the architecture language of --encoder (it must end at the data's shape, with :sigmoid for data in [0, 1]; default the preset's)." };

    public Option<string?> Discriminator { get; } = new("--discriminator") { Description = "GANs: the discriminator's layers, image → features (the model adds the linear critic to one logit; default the preset's)." };

    public Option<string?> Recognition { get; } = new("--recognition") { Description = "GANs with codes: the recognition head's hidden layers on the discriminator's features (the model adds the output layer; default infogan's fc128 with batch norm)." };

    public Option<int?> Codes { get; } = new("--codes") { Description = "GANs: continuous codes in z, each U(−1, 1) (infogan: 5; dcgan: 0)." };

    public Option<string?> Categorical { get; } = new("--categorical") { Description = "GANs: categorical codes in z, the categories of each (e.g. 10, or 10,3 for two codes; one-hot, drawn uniformly)." };

    public Option<float?> InfoWeight { get; } = new("--info-weight") { Description = "GANs with codes: λ, the weight of the mutual-information term (default 1)." };

    public Option<int?> DiscriminatorSteps { get; } = new("--d-steps") { Description = "GANs: discriminator steps per generator step, k (default 1)." };

    public Option<float?> LabelSmoothing { get; } = new("--label-smoothing") { Description = "GANs: one-sided label smoothing, the discriminator's target for real images is 1 − this (default 0; 0.1 in Salimans et al. 2016)." };

    public Option<float?> DiscriminatorLearningRate { get; } = new("--d-lr") { Description = "GANs: the discriminator's (and recognition head's) Adam learning rate (default the preset's recommendation); --lr is the generator's." };

    /// <summary>The options, in the order of the help.</summary>
    public IEnumerable<Option> All => [Generator, Discriminator, Recognition, Codes, Categorical, InfoWeight, DiscriminatorSteps, LabelSmoothing, DiscriminatorLearningRate];

    /// <summary>Refuses, in one line, the GAN options given to autoencoder preset <paramref name="preset"/>.</summary>
    public void CheckAutoencoder(ParseResult parsed, string preset) =>
        Refuse(parsed, All, $"to the GAN presets ({string.Join(", ", AdversarialPresets.Names)}); preset {preset} is an autoencoder");

    /// <summary>Refuses, in one line, the options of <paramref name="autoencoderOnly"/> given to GAN preset <paramref name="preset"/>.</summary>
    public static void CheckAdversarial(ParseResult parsed, string preset, IEnumerable<Option> autoencoderOnly) =>
        Refuse(parsed, autoencoderOnly, $"to the autoencoder presets; preset {preset} is a GAN (it takes --generator, --discriminator, --recognition, --noise, --codes, --categorical, --info-weight, --d-steps, --label-smoothing, --lr, --d-lr, --epochs, --batch, --seed, --checkpoint-every, --limit, --resume)");

    /// <summary>
    /// The network of preset <paramref name="preset"/> for <paramref name="data"/>: the preset's layers sized from the
    /// data's image shape, changed by the options given (<paramref name="noise"/> is --noise, a count of noise values).
    /// </summary>
    /// <exception cref="ArgumentException">The data have no image shape the preset has layers for (and no layers were given), or a value is invalid.</exception>
    public AdversarialOptions Build(ParseResult parsed, string preset, IFeatureSource data, float? noise, ulong seed)
    {
        string? generator = parsed.GetValue(Generator), discriminator = parsed.GetValue(Discriminator);
        var options = Defaults(preset, data, generator is not null && discriminator is not null);
        options = options with
        {
            Seed = seed,
            Generator = generator ?? options.Generator,
            Discriminator = discriminator ?? options.Discriminator,
            Recognition = parsed.GetValue(Recognition) ?? options.Recognition,
            ContinuousCodes = parsed.GetValue(Codes) ?? options.ContinuousCodes,
            CategoricalCodes = parsed.GetValue(Categorical) is { } categorical ? TrainCommand.ParseSizes(categorical, Categorical.Name) : options.CategoricalCodes,
            InfoWeight = parsed.GetValue(InfoWeight) ?? options.InfoWeight,
            DiscriminatorSteps = parsed.GetValue(DiscriminatorSteps) ?? options.DiscriminatorSteps,
            LabelSmoothing = parsed.GetValue(LabelSmoothing) ?? options.LabelSmoothing,
        };
        if (noise is { } count)
        {
            options = count >= 0 && count == MathF.Floor(count) && count <= int.MaxValue
                ? options with { Noise = (int)count }
                : throw new ArgumentException($"--noise {count.ToString(CultureInfo.InvariantCulture)}: for a GAN it is the number of noise values in z, a whole number of 0 or more.");
        }

        // A dcgan given codes keeps no recognition layers of its own: the model's output layer reads the features.
        if (!options.HasCodes && parsed.GetValue(Recognition) is not null)
        {
            throw new ArgumentException($"--recognition: the recognition head infers the codes; this {preset} has none (give --codes or --categorical).");
        }

        options = options.HasCodes ? options : options with { Recognition = string.Empty };
        try
        {
            return options.Validate();
        }
        catch (ArgumentException exception) when (exception.ParamName is { } name && s_optionOf.TryGetValue(name, out string? option))
        {
            // The library names its property; the user typed the option.
            throw new ArgumentException($"{option}: {exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)}", exception);
        }
    }

    private static readonly Dictionary<string, string> s_optionOf = new(StringComparer.Ordinal)
    {
        [nameof(AdversarialOptions.Noise)] = "--noise",
        [nameof(AdversarialOptions.ContinuousCodes)] = "--codes",
        [nameof(AdversarialOptions.CategoricalCodes)] = "--categorical",
        [nameof(AdversarialOptions.InfoWeight)] = "--info-weight",
        [nameof(AdversarialOptions.DiscriminatorSteps)] = "--d-steps",
        [nameof(AdversarialOptions.LabelSmoothing)] = "--label-smoothing",
        [nameof(AdversarialOptions.Recognition)] = "--recognition",
    };

    /// <summary>The trainer options: Adam at the preset's recommended rates and β₁ unless --lr or --d-lr is given, and the message that says so.</summary>
    public (TrainerOptions Options, string Message) Trainer(ParseResult parsed, string preset, TrainerOptions common, float? generatorRate)
    {
        var recommendation = AdversarialPresets.RecommendedTrainer(preset);
        float g = generatorRate ?? recommendation.GeneratorLearningRate;
        float d = parsed.GetValue(DiscriminatorLearningRate) ?? recommendation.DiscriminatorLearningRate;
        string message = string.Create(CultureInfo.InvariantCulture,
            $"optimizer adam, β₁ {recommendation.Beta1:G3}, learning rates {g:G3} generator / {d:G3} discriminator: the preset's recommendation ({recommendation.Source}); --lr and --d-lr override the rates");
        return (common with { Optimizer = Optim.OptimizerKind.Adam, Beta1 = recommendation.Beta1, LearningRate = g, DiscriminatorLearningRate = d }, message);
    }

    private static AdversarialOptions Defaults(string preset, IFeatureSource data, bool layersGiven)
    {
        if (data.ImageShape is { } shape)
        {
            try
            {
                return AdversarialPresets.Defaults(preset, shape);
            }
            catch (ArgumentException) when (layersGiven)
            {
                // The preset has no layers for this shape, but the user gave both networks: everything else is the preset's.
                return AdversarialPresets.Defaults(preset, new ImageShape(shape.Channels, 28, 28)) with { Inputs = shape.Size, InputShape = shape };
            }
        }

        return layersGiven
            ? AdversarialPresets.Defaults(preset, new ImageShape(1, 28, 28)) with { Inputs = data.Dimension, InputShape = null }
            : throw new ArgumentException(
                $"Preset {preset} sizes its layers from the data's image shape; '{data.Name}' holds flat vectors of {data.Dimension} values. Give the layers with --generator and --discriminator (e.g. --generator fc256,fc{data.Dimension}:sigmoid --discriminator fc256:leaky-relu0.2).");
    }

    private static void Refuse(ParseResult parsed, IEnumerable<Option> options, string why)
    {
        var given = options.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
        {
            throw new ArgumentException($"{string.Join(", ", given)}: {(given.Count == 1 ? "it belongs" : "they belong")} {why}.");
        }
    }
}
