using Latent.Models;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Adversarial;

/// <summary>Preset networks whose batch norms have random scales, shifts and running statistics, for comparisons with other engines.</summary>
internal static class AdversarialTestNetworks
{
    /// <summary>
    /// The preset for <paramref name="shape"/> with random batch-norm parameters and running statistics, so that an
    /// engine that used the batch's statistics, or left a term out, would differ.
    /// </summary>
    public static AdversarialNetwork WithRandomNorms(string preset, ImageShape shape, ulong seed)
    {
        var network = new AdversarialNetwork(AdversarialPresets.Defaults(preset, shape) with { Seed = seed });
        var rng = new Rng(seed ^ 0xB7);
        var norms = Modules(network).OfType<BatchNormBase>().ToList();
        Assert.NotEmpty(norms);
        foreach (var norm in norms)
        {
            rng.FillUniform(norm.Weight.Value.Span, 0.5f, 1.5f);
            rng.FillUniform(norm.Bias.Value.Span, -0.5f, 0.5f);
            rng.FillUniform(norm.RunningMean.Span, -0.3f, 0.3f);
            rng.FillUniform(norm.RunningVar.Span, 0.5f, 2f);
        }

        return network;
    }

    private static IEnumerable<Module> Modules(Module module) => module.Children().SelectMany(c => Modules(c.Module)).Prepend(module);
}
