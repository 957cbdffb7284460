using Latent.Tensors;

namespace Latent.Nn;

/// <summary>f(x) = max(x, 0), element-wise.</summary>
public sealed class Relu : ActivationModule
{
    /// <summary>The ReLU activation.</summary>
    public Relu()
        : base(Activation.Relu)
    {
    }
}
