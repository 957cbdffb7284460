using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = 1 / (1 + e^−x), element-wise.</summary>
public sealed class Sigmoid : ActivationModule
{
    /// <summary>The logistic sigmoid activation.</summary>
    public Sigmoid()
        : base(Activation.Sigmoid)
    {
    }
}
