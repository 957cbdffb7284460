using Latent.Autodiff;

namespace Latent.Optim;

/// <summary>AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, with PyTorch's semantics.</summary>
/// <remarks>
/// At step t: θ ← θ·(1 − ηλ) first, then the Adam update from the raw gradient:
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// The decay is fused into the one pass that updates m, v and θ, as in <see cref="Adam"/>.
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over <paramref name="parameters"/> (PyTorch's defaults, weight decay 0.01).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁, the decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator.</param>
    /// <param name="weightDecay">λ, the decoupled decay rate.</param>
    public AdamW(IEnumerable<Var> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
