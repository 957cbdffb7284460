using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The VAE's posterior q(z | x) = N(μ(h), diag exp(log σ²(h))), sampled by reparameterisation
/// z = μ + exp(½·log σ²)·ε, ε ~ N(0, I) (Kingma and Welling 2014). Encoding gives μ.
/// </summary>
public sealed class GaussianBottleneck : Bottleneck
{
    private readonly Linear _mean;
    private readonly Linear _logVariance;

    /// <summary>Two linear maps from <paramref name="features"/> to the <paramref name="latent"/> means and log-variances; weights drawn from <paramref name="rng"/>.</summary>
    public GaussianBottleneck(int features, int latent, Rng rng)
        : base(features, latent)
    {
        _mean = RegisterModule("mean", new Linear(features, latent, rng));
        _logVariance = RegisterModule("log_var", new Linear(features, latent, rng));
    }

    /// <summary>μ and log σ² of q(z | x), without sampling.</summary>
    public (Var Mean, Var LogVariance) Posterior(Var features) => (_mean.Forward(features), _logVariance.Forward(features));

    /// <inheritdoc/>
    public override BottleneckOutput Sample(Var features, Rng rng)
    {
        (Var mean, Var logVariance) = Posterior(features);
        return new BottleneckOutput(Ops.Reparameterize(mean, logVariance, rng), mean, logVariance);
    }

    /// <inheritdoc/>
    public override Var Forward(Var x) => _mean.Forward(x);
}
