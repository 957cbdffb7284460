using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = tanh x, element-wise.</summary>
public sealed class Tanh : ActivationModule
{
    public Tanh()
        : base(Activation.Tanh)
    {
    }
}
