using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>A Gaussian around the decoder's output with a learned variance: one shared, or one per dimension.</summary>
/// <remarks>
/// −log p(x | z) = ½ Σᵢ [log 2π + log σᵢ² + (xᵢ − f(z)ᵢ)² / σᵢ²]; with one shared σ this is the
/// d·log σ² + ‖x − f(z)‖²/σ² objective (halved, plus a constant), whose optimum σ² is the mean squared error.
/// The parameter is log σ² ("likelihood.log_var"), starting at 0.
/// </remarks>
public sealed class LearnedGaussianLikelihood : Likelihood
{
    /// <summary>A Gaussian whose log σ² is learned: one per input when <paramref name="size"/> is the input size, one shared when it is 1.</summary>
    public LearnedGaussianLikelihood(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        LogVariance = RegisterParameter("log_var", Tensor.Zeros(size));
    }

    /// <summary>log σ², [1] or [inputs].</summary>
    public Var LogVariance { get; }

    /// <summary>
    /// The learned σ: the shared one, or for one variance per dimension the root of their mean, √(mean σᵢ²)
    /// (the value a shared σ would take at the same optimum, where σ² is the mean squared error per dimension).
    /// </summary>
    public double Sigma
    {
        get
        {
            var logVariance = LogVariance.Value.Span;
            double sum = 0;
            foreach (float value in logVariance)
            {
                sum += Math.Exp(value);
            }

            return Math.Sqrt(sum / logVariance.Length);
        }
    }

    /// <inheritdoc/>
    public override Var NegativeLogLikelihood(Var output, Var target) => Ops.GaussianNll(target, output, LogVariance);

    /// <inheritdoc/>
    public override Var Forward(Var x) => x;
}
