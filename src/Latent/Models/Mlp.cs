using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Builds the multilayer perceptrons used as encoders and decoders.</summary>
public static class Mlp
{
    /// <summary>
    /// A stack Linear, activation, Linear, activation, … through <paramref name="sizes"/>; the last layer's
    /// activation is <paramref name="lastActivation"/>. Parameters are named as PyTorch's nn.Sequential
    /// names them ("0.weight", "2.weight", …).
    /// </summary>
    /// <param name="sizes">Layer widths, input first; at least two.</param>
    /// <param name="activation">The activation after every hidden layer.</param>
    /// <param name="lastActivation">The activation after the last layer (identity for none).</param>
    /// <param name="rng">The random initialisation.</param>
    public static Sequential Create(IReadOnlyList<int> sizes, Activation activation, Activation lastActivation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizes.Count, 2, nameof(sizes));
        var layers = new List<Module>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            layers.Add(new Linear(sizes[i], sizes[i + 1], rng));
            var act = i + 2 == sizes.Count ? lastActivation : activation;
            if (act != Activation.Identity)
            {
                layers.Add(CreateActivation(act));
            }
        }

        return new Sequential([.. layers]);
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
}
