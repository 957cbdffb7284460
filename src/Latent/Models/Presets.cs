using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The named autoencoders of the design: each a choice of parts with defaults for 28×28 images in [0, 1].
/// </summary>
/// <remarks>
/// Every preset has one hidden layer of 400 units on each side (encoder "fc400", decoder "fc400", relu),
/// except linear-ae and ksparse-ae, which have none (encoder and decoder "").
/// | preset | bottleneck | likelihood | regularisers / noise |
/// | linear-ae | deterministic, no hidden layers | Gaussian | – |
/// | ae | deterministic | Bernoulli | – |
/// | denoising-ae | deterministic | Bernoulli | Gaussian noise σ = 0.3 |
/// | sparse-ae | deterministic sigmoid code | Bernoulli | KL sparsity ρ = 0.05, weight 1 |
/// | ksparse-ae | top-k, k = 25 of 100, α = 3 | Gaussian | – |
/// | binary-ae | binary, straight-through | Bernoulli | – |
/// | vae | Gaussian | Bernoulli | KL |
/// | beta-vae | Gaussian | Bernoulli | β = 4 |
/// | infovae | Gaussian | Bernoulli | (1 − α)·KL + λ·MMD, α = 0, λ = 100, IMQ kernel |
/// | iwae | Gaussian, k = 5 samples | Bernoulli | importance-weighted bound |
/// </remarks>
public static class Presets
{
    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["linear-ae", "ae", "denoising-ae", "sparse-ae", "ksparse-ae", "binary-ae", "vae", "beta-vae", "infovae", "iwae"];

    /// <summary>The default options of preset <paramref name="name"/> for flat inputs of size <paramref name="inputs"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a preset; the message lists them.</exception>
    public static AutoencoderOptions Defaults(string name, int inputs = 784)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        var common = new AutoencoderOptions { Preset = name, Inputs = inputs, Encoder = "fc400", Decoder = "fc400", Latent = 20 };
        var gaussianBottleneck = common with { Bottleneck = BottleneckKind.Gaussian };
        return name switch
        {
            "linear-ae" => common with { Encoder = "", Decoder = "", Likelihood = LikelihoodKind.Gaussian, Activation = Activation.Identity },
            "ae" => common,
            "denoising-ae" => common with { Noise = NoiseKind.Gaussian, NoiseLevel = 0.3f },
            "sparse-ae" => common with
            {
                Latent = 100,
                CodeActivation = Activation.Sigmoid,
                Sparsity = SparsityKind.Kl,
                SparsityWeight = 1f,
                SparsityTarget = 0.05f,
            },
            "ksparse-ae" => common with
            {
                Encoder = "",
                Decoder = "",
                Latent = 100,
                Bottleneck = BottleneckKind.TopK,
                TopK = 25,
                TopKAlpha = 3f,
                Likelihood = LikelihoodKind.Gaussian,
            },
            "binary-ae" => common with { Latent = 32, Bottleneck = BottleneckKind.Binary },
            "vae" => gaussianBottleneck,
            "beta-vae" => gaussianBottleneck with { Beta = 4f },
            "infovae" => gaussianBottleneck with { InfoAlpha = 0f, MmdWeight = 100f },
            "iwae" => gaussianBottleneck with { ImportanceSamples = 5 },
            _ => throw new ArgumentException($"Unknown preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>The default options of preset <paramref name="name"/> for images of shape <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a preset; the message lists them.</exception>
    public static AutoencoderOptions Defaults(string name, ImageShape inputShape) =>
        Defaults(name, inputShape.Size) with { InputShape = inputShape };

    /// <summary>A new model of preset <paramref name="name"/> with its defaults changed by <paramref name="change"/>.</summary>
    public static Autoencoder Create(string name, int inputs, Func<AutoencoderOptions, AutoencoderOptions>? change = null)
    {
        var options = Defaults(name, inputs);
        return new Autoencoder(change is null ? options : change(options));
    }
}
