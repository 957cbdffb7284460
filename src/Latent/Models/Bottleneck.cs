using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// Turns the encoder's features into the code. <see cref="Sample"/> is the training path (sampled, sparse or
/// binarised with a gradient); <see cref="Module.Forward"/> is the encoding path (the mean code).
/// </summary>
public abstract class Bottleneck : Module
{
    private protected Bottleneck(int features, int latent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        Features = features;
        Latent = latent;
    }

    /// <summary>Size of the features it reads.</summary>
    public int Features { get; }

    /// <summary>Size of the code.</summary>
    public int Latent { get; }

    /// <summary>The training-time code, recorded on the features' tape.</summary>
    public abstract BottleneckOutput Sample(Var features, Rng rng);

    /// <summary>A new bottleneck of the kind the options name.</summary>
    public static Bottleneck Create(AutoencoderOptions options, int features, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Bottleneck switch
        {
            BottleneckKind.Deterministic => new DeterministicBottleneck(features, options.Latent, options.CodeActivation, rng),
            BottleneckKind.TopK => new TopKBottleneck(features, options.Latent, options.TopK, options.TopKAlpha, rng),
            BottleneckKind.Binary => new BinaryBottleneck(features, options.Latent, options.CodeNoise, rng),
            BottleneckKind.Gaussian => new GaussianBottleneck(features, options.Latent, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Bottleneck, "Unknown bottleneck."),
        };
    }
}
