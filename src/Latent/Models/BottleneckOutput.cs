using Latent.Autodiff;

namespace Latent.Models;

/// <summary>What a bottleneck produces in training: the code the decoder sees and, for a Gaussian, q's parameters.</summary>
/// <param name="Code">The code z [batch, latent] passed to the decoder.</param>
/// <param name="Mean">μ of q(z | x) for a Gaussian bottleneck, else null.</param>
/// <param name="LogVariance">log σ² of q(z | x) for a Gaussian bottleneck, else null.</param>
public readonly record struct BottleneckOutput(Var Code, Var? Mean = null, Var? LogVariance = null);
