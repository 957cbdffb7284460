using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = tanh x, element-wise.</summary>
public sealed class Tanh : ActivationModule
{
    /// <summary>The tanh activation.</summary>
    public Tanh()
        : base(Activation.Tanh)
    {
    }
}
