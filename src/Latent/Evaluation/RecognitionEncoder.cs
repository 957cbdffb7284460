using Latent.Data;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// An InfoGAN's recognition head as the code function the disentanglement measures read (<see cref="FactorCodes"/>):
/// the means Q infers for the continuous codes of each image, so that <see cref="BetaVaeMetric"/>,
/// <see cref="MutualInformationGap"/> and <see cref="FactorResponse"/> score an InfoGAN exactly as they score a VAE's
/// posterior means.
/// </summary>
/// <remarks>
/// Only the continuous codes are returned: they play the part of a VAE's latents (the beta-VAE paper compares the
/// two on them); categorical codes' logits are not comparable values on one axis and are left out.
/// </remarks>
internal static class RecognitionEncoder
{
    /// <summary>The function that draws items of <paramref name="source"/> and infers <paramref name="network"/>'s continuous codes: [n, continuous codes].</summary>
    /// <exception cref="ArgumentException">The network has no continuous codes, or the data's items are not its size.</exception>
    public static Func<int[], Tensor> Of(AdversarialNetwork network, IFactorSource source)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        int continuous = network.Options.ContinuousCodes;
        if (continuous == 0)
        {
            throw new ArgumentException($"The '{network.Options.Preset}' network has no continuous codes for the disentanglement measures to read (only an InfoGAN with continuous codes has them).", nameof(network));
        }

        if (source.Dimension != network.Inputs)
        {
            throw new ArgumentException($"Data '{source.Name}' have {source.Dimension} features per item; the network takes {network.Inputs}.", nameof(source));
        }

        return FactorCodes.Of(source, continuous, images => ContinuousMeans(network.InferCodes(new TensorSource(images, source.Name)), continuous));
    }

    // The first columns of Q's output: the continuous codes' means (categorical logits follow them).
    private static Tensor ContinuousMeans(Tensor inferred, int continuous)
    {
        if (inferred.Columns == continuous)
        {
            return inferred;
        }

        var means = Tensor.Zeros(inferred.Rows, continuous);
        for (int i = 0; i < inferred.Rows; i++)
        {
            inferred.Row(i)[..continuous].CopyTo(means.Row(i));
        }

        return means;
    }
}
