using System.Globalization;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The named autoencoders of the design: each a choice of parts with defaults for 28×28 images in [0, 1], and
/// the convolutional presets, whose layers follow the input's image shape.
/// </summary>
/// <remarks>
/// <para>
/// Every flat preset has one hidden layer of 400 units on each side (encoder "fc400", decoder "fc400", relu),
/// except linear-ae and ksparse-ae, which have none (encoder and decoder "").
/// </para>
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
/// | conv-ae | deterministic | Bernoulli | – (convolutional, below) |
/// | conv-vae | Gaussian | Bernoulli | KL (convolutional, below) |
/// | dcign-vae | Gaussian | Bernoulli | KL (convolutions and max-pooling, upsampling decoder) |
/// <para>
/// The image presets (conv-ae, conv-vae, dcign-vae) need an image shape c×h×w and pick their layers from it
/// (the decoder's output layer to the input's c channels is added by the model, see
/// <see cref="AutoencoderOptions.DecoderLayers"/>, or written out where the decoder ends at the input's shape):
/// </para>
/// <list type="bullet">
/// <item>conv-ae, conv-vae on 64×64: the beta-VAE paper's chairs VAE (Higgins et al. 2017, table 1): encoder
/// <c>conv32k4s2p1,conv32k4s2p1,conv64k4s2p1,conv64k4s2p1,fc256</c>, 32 latents, decoder
/// <c>fc256,fc1024,unflatten64x4x4,deconv64k4s2p1,deconv32k4s2p1,deconv32k4s2p1</c> + <c>deconv{c}k4s2p1:none</c>;
/// the paper trains it with Adam 1e-4 (<see cref="RecommendedTrainer"/>).</item>
/// <item>conv-ae, conv-vae on any other h×w with h and w multiples of 4 (28×28): two 4×4 stride-2 convolutions,
/// encoder <c>conv32k4s2p1,conv64k4s2p1,fc256</c>, 20 latents, decoder
/// <c>fc256,fc3136,unflatten64x7x7,deconv32k4s2p1</c> + <c>deconv{c}k4s2p1:none</c> (3136 = 64·(h/4)·(w/4)):
/// the net of bench/peers/torch_conv_vae.py, with the same parameter names.</item>
/// <item>dcign-vae on 64×64: the DC-IGN column of the table: encoder
/// <c>conv96k3s1p1,pool2,conv48k3s1p1,pool2,conv48k3s1p1,pool2</c> (3×3 convolutions, 2×2 max-pooling; the
/// bottleneck reads the 48×8×8 features), 10 latents, decoder
/// <c>fc3072,unflatten48x8x8,up2,conv48k3s1p1,up2,conv96k3s1p1,up2,conv{c}k3s1p1:none</c>; trained with RMSprop
/// (<see cref="RecommendedTrainer"/>).</item>
/// <item>dcign-vae on any other h×w with h and w multiples of 4 (28×28): encoder
/// <c>conv32k3s1p1,pool2,conv64k3s1p1,pool2,fc256</c>, 10 latents, decoder
/// <c>fc256,fc3136,unflatten64x7x7,up2,conv32k3s1p1,up2,conv{c}k3s1p1:none</c>.</item>
/// <item>beta-vae on 64×64 (the <c>shapes</c> set): the table's 2-D shapes VAE: encoder <c>fc1200,fc1200</c>
/// (relu), 10 latents, decoder <c>fc1200:tanh,fc1200:tanh,fc1200:tanh</c> + <c>fc4096:none</c>, Bernoulli, β = 4,
/// Adagrad 1e-2 (<see cref="RecommendedTrainer"/>). On other shapes beta-vae is the flat preset above.</item>
/// </list>
/// </remarks>
public static class Presets
{
    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["linear-ae", "ae", "denoising-ae", "sparse-ae", "ksparse-ae", "binary-ae", "vae", "beta-vae", "infovae", "iwae", "conv-ae", "conv-vae", "dcign-vae"];

    /// <summary>The presets that need images (an input shape c×h×w) and build convolutions.</summary>
    public static IReadOnlyList<string> ImageNames { get; } = ["conv-ae", "conv-vae", "dcign-vae"];

    /// <summary>The default options of preset <paramref name="name"/> for flat inputs of size <paramref name="inputs"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a preset (the message lists them), or it needs images.</exception>
    public static AutoencoderOptions Defaults(string name, int inputs = 784)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (ImageNames.Contains(name))
        {
            throw new ArgumentException(
                $"Preset '{name}' builds convolutions and needs images (an input shape c×h×w); these data are {inputs} flat features. Use an image data set, or a flat preset such as {(name == "conv-ae" ? "ae" : "vae")}.",
                nameof(name));
        }

        return FlatDefaults(name, inputs);
    }

    /// <summary>
    /// The default options of preset <paramref name="name"/> for images of shape <paramref name="inputShape"/>:
    /// the image presets and beta-vae on 64×64 pick their layers from the shape (see the remarks of
    /// <see cref="Presets"/>); every other preset is its flat default with the input shape set.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a preset (the message lists them), or an image preset has no default for this shape.</exception>
    public static AutoencoderOptions Defaults(string name, ImageShape inputShape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(inputShape.Size, nameof(inputShape));
        var common = new AutoencoderOptions { Preset = name, Inputs = inputShape.Size, InputShape = inputShape, Latent = 20 };
        int c = inputShape.Channels, h = inputShape.Height, w = inputShape.Width;
        bool is64 = h == 64 && w == 64;
        var culture = CultureInfo.InvariantCulture;
        switch (name)
        {
            case "conv-ae" or "conv-vae":
                {
                    var bottleneck = name == "conv-vae" ? BottleneckKind.Gaussian : BottleneckKind.Deterministic;
                    if (is64)
                    {
                        return common with
                        {
                            Encoder = "conv32k4s2p1,conv32k4s2p1,conv64k4s2p1,conv64k4s2p1,fc256",
                            Decoder = "fc256,fc1024,unflatten64x4x4,deconv64k4s2p1,deconv32k4s2p1,deconv32k4s2p1",
                            Latent = 32,
                            Bottleneck = bottleneck,
                        };
                    }

                    RequireMultipleOf4(name, inputShape);
                    return common with
                    {
                        Encoder = "conv32k4s2p1,conv64k4s2p1,fc256",
                        Decoder = string.Create(culture, $"fc256,fc{64 * (h / 4) * (w / 4)},unflatten64x{h / 4}x{w / 4},deconv32k4s2p1"),
                        Latent = 20,
                        Bottleneck = bottleneck,
                    };
                }

            case "dcign-vae":
                if (is64)
                {
                    return common with
                    {
                        Encoder = "conv96k3s1p1,pool2,conv48k3s1p1,pool2,conv48k3s1p1,pool2",
                        Decoder = string.Create(culture, $"fc3072,unflatten48x8x8,up2,conv48k3s1p1,up2,conv96k3s1p1,up2,conv{c}k3s1p1:none"),
                        Latent = 10,
                        Bottleneck = BottleneckKind.Gaussian,
                    };
                }

                RequireMultipleOf4(name, inputShape);
                return common with
                {
                    Encoder = "conv32k3s1p1,pool2,conv64k3s1p1,pool2,fc256",
                    Decoder = string.Create(culture, $"fc256,fc{64 * (h / 4) * (w / 4)},unflatten64x{h / 4}x{w / 4},up2,conv32k3s1p1,up2,conv{c}k3s1p1:none"),
                    Latent = 10,
                    Bottleneck = BottleneckKind.Gaussian,
                };
            case "beta-vae" when is64:
                return FlatDefaults(name, inputShape.Size) with
                {
                    InputShape = inputShape,
                    Encoder = "fc1200,fc1200",
                    Decoder = "fc1200:tanh,fc1200:tanh,fc1200:tanh",
                    Latent = 10,
                };
            default:
                return FlatDefaults(name, inputShape.Size) with { InputShape = inputShape };
        }
    }

    /// <summary>A new model of preset <paramref name="name"/> with its defaults changed by <paramref name="change"/>.</summary>
    public static Autoencoder Create(string name, int inputs, Func<AutoencoderOptions, AutoencoderOptions>? change = null)
    {
        var options = Defaults(name, inputs);
        return new Autoencoder(change is null ? options : change(options));
    }

    /// <summary>A new model of preset <paramref name="name"/> for images of <paramref name="inputShape"/>, with its defaults changed by <paramref name="change"/>.</summary>
    public static Autoencoder Create(string name, ImageShape inputShape, Func<AutoencoderOptions, AutoencoderOptions>? change = null)
    {
        var options = Defaults(name, inputShape);
        return new Autoencoder(change is null ? options : change(options));
    }

    /// <summary>
    /// The optimiser and learning rate the source of preset <paramref name="name"/> on <paramref name="inputShape"/>
    /// trains it with, or null where it prescribes none (then Adam 1e-3, the trainer's default).
    /// </summary>
    /// <remarks>
    /// From the beta-VAE paper's architecture table (Higgins et al. 2017): the chairs VAE (conv-vae and conv-ae on
    /// 64×64) Adam 1e-4; the 2-D shapes VAE (beta-vae on 64×64) Adagrad 1e-2; DC-IGN (dcign-vae, any shape)
    /// RMSprop, whose rate the table does not give (5e-4 here, our choice). <c>latent train</c> uses it when neither --optimizer nor --lr is given, and says so.
    /// <para>
    /// linear-ae (any data): Adam 1e-2 with a cosine decay (our choice). The decoder's subspace converges to PCA's
    /// at a rate set by the eigengap λ_k − λ_{k+1} of the data's covariance, which is small on images (0.05 against
    /// λ₁ = 5.4 at k = 20 on mnist-10k): with Adam 1e-3 the largest principal angle to PCA's subspace is still
    /// ~70° after 30 epochs, and any constant rate leaves a floor of several degrees set by the mini-batch noise
    /// (8° at 1e-2). The larger rate crosses the slow directions, the decay removes the noise: under 1° in 60 to
    /// 100 epochs of mnist-10k at k = 20 (the same in PyTorch with the same model and optimiser).
    /// </para>
    /// </remarks>
    public static TrainingRecommendation? RecommendedTrainer(string name, ImageShape? inputShape)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool is64 = inputShape is { Height: 64, Width: 64 };
        return name switch
        {
            "conv-vae" or "conv-ae" when is64 => new TrainingRecommendation(OptimizerKind.Adam, 1e-4f, "the beta-VAE paper's chairs VAE: Adam 1e-4"),
            "beta-vae" when is64 => new TrainingRecommendation(OptimizerKind.Adagrad, 1e-2f, "the beta-VAE paper's 2-D shapes VAE: Adagrad 1e-2"),
            "dcign-vae" => new TrainingRecommendation(OptimizerKind.RmsProp, 5e-4f, "DC-IGN in the beta-VAE paper's table: RMSprop (the table gives no rate; 5e-4)"),
            "linear-ae" => new TrainingRecommendation(
                OptimizerKind.Adam,
                1e-2f,
                "linear-ae: Adam 1e-2 decayed to 0 by a cosine schedule, so the decoder converges to PCA's subspace (ours)",
                ScheduleKind.Cosine),
            _ => null,
        };
    }

    private static void RequireMultipleOf4(string name, ImageShape shape)
    {
        if (shape.Height % 4 != 0 || shape.Width % 4 != 0)
        {
            throw new ArgumentException(
                $"Preset '{name}' has default layers for 64×64 images and for images whose height and width are multiples of 4 (such as 28×28); these images are {shape}. Give the layers with --encoder and --decoder (see latent train --help).",
                nameof(shape));
        }
    }

    private static AutoencoderOptions FlatDefaults(string name, int inputs)
    {
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
}

/// <summary>How a preset's source trains it: an optimiser, a learning rate, a schedule and where they come from.</summary>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="LearningRate">Its learning rate.</param>
/// <param name="Source">Where the choice comes from, for messages ("the beta-VAE paper's 2-D shapes VAE: Adagrad 1e-2").</param>
/// <param name="Schedule">The per-epoch learning-rate schedule (constant unless the source decays the rate).</param>
public sealed record TrainingRecommendation(OptimizerKind Optimizer, float LearningRate, string Source, ScheduleKind Schedule = ScheduleKind.Constant);
