using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = x (a placeholder that passes its input through), element-wise.</summary>
public sealed class Identity : ActivationModule
{
    public Identity()
        : base(Activation.Identity)
    {
    }
}
