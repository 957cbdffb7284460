using Latent.Autodiff;

namespace Latent.Models;

/// <summary>Independent Bernoulli pixels with logits ℓ = f(z); the mean is σ(ℓ).</summary>
/// <remarks>−log p(x | z) = Σᵢ [max(ℓᵢ, 0) − ℓᵢ·xᵢ + log(1 + e^−|ℓᵢ|)], the stable binary cross-entropy with logits.</remarks>
public sealed class BernoulliLikelihood : Likelihood
{
    /// <inheritdoc/>
    public override Var NegativeLogLikelihood(Var output, Var target) => Ops.BceWithLogits(output, target);

    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.Sigmoid(x);
}
