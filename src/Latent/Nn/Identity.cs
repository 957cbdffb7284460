using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = x, element-wise: a layer slot with no activation.</summary>
public sealed class Identity : ActivationModule
{
    /// <summary>The identity activation.</summary>
    public Identity()
        : base(Activation.Identity)
    {
    }
}
