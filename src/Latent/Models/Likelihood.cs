using Latent.Autodiff;
using Latent.Nn;

namespace Latent.Models;

/// <summary>
/// The observation model p(x | z): <see cref="NegativeLogLikelihood"/> is the per-item reconstruction term
/// from the decoder's output, and <see cref="Module.Forward"/> maps the output to the mean of p (the picture).
/// </summary>
public abstract class Likelihood : Module
{
    /// <summary>−log p(x | decoder output) per item, in nats: [rows].</summary>
    public abstract Var NegativeLogLikelihood(Var output, Var target);

    /// <summary>The likelihood the options name.</summary>
    public static Likelihood Create(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Likelihood switch
        {
            LikelihoodKind.Bernoulli => new BernoulliLikelihood(),
            LikelihoodKind.Gaussian => new GaussianLikelihood(options.Inputs, options.Sigma),
            LikelihoodKind.GaussianLearnedShared => new LearnedGaussianLikelihood(1),
            LikelihoodKind.GaussianLearnedPerDimension => new LearnedGaussianLikelihood(options.Inputs),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Likelihood, "Unknown likelihood."),
        };
    }
}
