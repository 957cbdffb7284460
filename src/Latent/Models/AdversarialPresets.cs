using System.Globalization;
using Latent.Optim;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The adversarial networks of the notes, sized from the data's image shape: <c>dcgan</c> (Radford et al. 2016) and
/// <c>infogan</c> (Chen et al. 2016, as the beta-VAE paper's architecture table compares it).
/// </summary>
/// <remarks>
/// <para>Images are in [0, 1]: every generator ends in a sigmoid where DCGAN's ends in tanh on [−1, 1] data (the same
/// family: tanh(x) = 2σ(2x) − 1). Leaky ReLUs have DCGAN's slope 0.2; convolutions keep their biases.</para>
/// <list type="bullet">
/// <item>dcgan on 64×64: the DCGAN paper's net: z = 100 values of U(−1, 1) seen as a 100×1×1 image, generator
/// <c>deconv512k4s1p0</c> then <c>deconv256</c>, <c>deconv128</c>, <c>deconv64</c> 4×4 stride 2, each with batch norm
/// and ReLU, and <c>deconv{c}k4s2p1:sigmoid</c>; discriminator <c>conv64k4s2p1</c> (leaky ReLU, no batch norm), then
/// <c>conv128</c>, <c>conv256</c>, <c>conv512</c> 4×4 stride 2 with batch norm and leaky ReLU, flattened; the critic
/// is one linear layer (the paper's last 4×4 convolution to one value).</item>
/// <item>dcgan on h×w with h and w multiples of 4 (28×28): generator <c>fc{128·h/4·w/4}</c> with batch norm and ReLU,
/// <c>unflatten128x{h/4}x{w/4}</c>, <c>deconv64k4s2p1</c> with batch norm and ReLU, <c>deconv{c}k4s2p1:sigmoid</c>;
/// discriminator <c>conv64k4s2p1</c> (leaky ReLU), <c>conv128k4s2p1</c> with batch norm and leaky ReLU, flattened:
/// the net of bench/peers/torch_dcgan.py, with the same parameter names.</item>
/// <item>infogan: 5 continuous codes and 5 noise values of U(−1, 1) (the beta-VAE paper's 2-D shapes InfoGAN), no
/// categorical code unless asked; generator <c>fc256,fc256</c> (batch norm, ReLU), a projection to 128 channels at
/// h/8×w/8 (or h/4×w/4 when h, w are not multiples of 8), then the table's <c>deconv128</c> and <c>deconv64</c> 4×4
/// stride 2 (batch norm, ReLU) and a last <c>deconv{c}k4s2p1:sigmoid</c> (the first of the two is left out at h/4);
/// discriminator InfoGAN's: <c>conv64k4s2p1</c> (leaky ReLU), <c>conv128k4s2p1</c> with batch norm and leaky ReLU (and
/// one more <c>conv128k4s2p1</c> at 64×64), <c>fc1024</c> with batch norm and leaky ReLU; recognition head
/// <c>fc128</c> with batch norm and leaky ReLU; λ = 1.</item>
/// </list>
/// <para>Where the table is silent (the projection, the discriminator's depth, the recognition head) the choices are
/// InfoGAN's own MNIST networks (Chen et al. 2016, appendix C).</para>
/// </remarks>
public static class AdversarialPresets
{
    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["dcgan", "infogan"];

    /// <summary>Whether <paramref name="name"/> is an adversarial preset.</summary>
    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The default options of preset <paramref name="name"/> for images of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The name is not an adversarial preset, or it has no default layers for this shape.</exception>
    public static AdversarialOptions Defaults(string name, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(shape.Size, nameof(shape));
        var c = CultureInfo.InvariantCulture;
        int channels = shape.Channels, h = shape.Height, w = shape.Width;
        var common = new AdversarialOptions { Preset = name, Inputs = shape.Size, InputShape = shape };
        switch (name)
        {
            case "dcgan" when h == 64 && w == 64:
                return common with
                {
                    Noise = 100,
                    Generator = string.Create(c, $"unflatten100x1x1,deconv512k4s1p0:none,bn:relu,deconv256k4s2p1:none,bn:relu,deconv128k4s2p1:none,bn:relu,deconv64k4s2p1:none,bn:relu,deconv{channels}k4s2p1:sigmoid"),
                    Discriminator = "conv64k4s2p1:leaky-relu0.2,conv128k4s2p1:none,bn:leaky-relu0.2,conv256k4s2p1:none,bn:leaky-relu0.2,conv512k4s2p1:none,bn:leaky-relu0.2,flatten",
                };
            case "dcgan":
                RequireMultipleOf(name, shape, 4);
                return common with
                {
                    Noise = 100,
                    Generator = string.Create(c, $"fc{128 * (h / 4) * (w / 4)}:none,bn:relu,unflatten128x{h / 4}x{w / 4},deconv64k4s2p1:none,bn:relu,deconv{channels}k4s2p1:sigmoid"),
                    Discriminator = "conv64k4s2p1:leaky-relu0.2,conv128k4s2p1:none,bn:leaky-relu0.2,flatten",
                };
            case "infogan":
                {
                    RequireMultipleOf(name, shape, 4);
                    bool deep = h % 8 == 0 && w % 8 == 0;
                    int fh = deep ? h / 8 : h / 4, fw = deep ? w / 8 : w / 4;
                    string upsampling = deep ? "deconv128k4s2p1:none,bn:relu,deconv64k4s2p1:none,bn:relu" : "deconv64k4s2p1:none,bn:relu";
                    string extraConvolution = h == 64 && w == 64 ? "conv128k4s2p1:none,bn:leaky-relu0.2," : string.Empty;
                    return common with
                    {
                        Noise = 5,
                        ContinuousCodes = 5,
                        Generator = string.Create(c, $"fc256:none,bn:relu,fc256:none,bn:relu,fc{128 * fh * fw}:none,bn:relu,unflatten128x{fh}x{fw},{upsampling},deconv{channels}k4s2p1:sigmoid"),
                        Discriminator = $"conv64k4s2p1:leaky-relu0.2,conv128k4s2p1:none,bn:leaky-relu0.2,{extraConvolution}fc1024:none,bn:leaky-relu0.2",
                        Recognition = "fc128:none,bn:leaky-relu0.2",
                    };
                }

            default:
                throw new ArgumentException($"Unknown adversarial preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    /// <summary>How the preset's source trains it (Adam with its rates and β₁).</summary>
    /// <remarks>
    /// dcgan: Adam 2e-4 for both networks, β₁ = 0.5, batch 128 (the DCGAN paper). infogan: Adam 1e-3 for the generator
    /// and 2e-4 for the discriminator (the beta-VAE paper's table), β₁ = 0.5 (InfoGAN's code).
    /// </remarks>
    public static AdversarialRecommendation RecommendedTrainer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "dcgan" => new AdversarialRecommendation(2e-4f, 2e-4f, 0.5f, "DCGAN (Radford et al. 2016): Adam 2e-4 for both networks, β₁ 0.5"),
            "infogan" => new AdversarialRecommendation(1e-3f, 2e-4f, 0.5f, "InfoGAN in the beta-VAE paper's table: Adam 1e-3 generator / 2e-4 discriminator, β₁ 0.5"),
            _ => throw new ArgumentException($"Unknown adversarial preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static void RequireMultipleOf(string name, ImageShape shape, int factor)
    {
        if (shape.Height % factor != 0 || shape.Width % factor != 0)
        {
            throw new ArgumentException(
                $"Preset '{name}' has default layers for 64×64 images and for images whose height and width are multiples of {factor} (such as 28×28); these images are {shape}. Give the layers with --generator and --discriminator.",
                nameof(shape));
        }
    }
}

/// <summary>The optimiser settings an adversarial preset's source trains it with (Adam for both networks).</summary>
/// <param name="GeneratorLearningRate">The generator's Adam learning rate.</param>
/// <param name="DiscriminatorLearningRate">The discriminator's (and recognition head's) Adam learning rate.</param>
/// <param name="Beta1">Adam's β₁ for both.</param>
/// <param name="Source">Where the choice comes from, for messages.</param>
public sealed record AdversarialRecommendation(float GeneratorLearningRate, float DiscriminatorLearningRate, float Beta1, string Source);
